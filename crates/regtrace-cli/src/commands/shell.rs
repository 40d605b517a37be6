//! `completions` and `man`: the command line described for shells and for `man`.

use std::path::Path;

use crate::error::CliError;
use crate::output;

/// Shells `completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    /// Bash: `source <(regtrace completions bash)`.
    Bash,
    /// Zsh: write it as `_regtrace` into a directory of `$fpath`.
    Zsh,
    /// Fish: write it into `~/.config/fish/completions/regtrace.fish`.
    Fish,
    /// PowerShell: `regtrace completions powershell | Out-String | Invoke-Expression`.
    Powershell,
    /// Elvish: `eval (regtrace completions elvish | slurp)`.
    Elvish,
}

/// `regtrace completions SHELL`: the script on standard output.
pub fn completions(mut command: clap::Command, shell: Shell) {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    output::stream(|out| {
        clap_complete::generate(shell, &mut command, "regtrace", out);
        Ok(())
    });
}

/// `regtrace man [-o DIR]`: the page of `regtrace` on standard output, or, with a directory,
/// one page per command there (`regtrace.1`, `regtrace-impact.1`, `regtrace-review-close.1`, …).
pub fn man(command: clap::Command, dir: Option<&Path>) -> Result<(), CliError> {
    let Some(dir) = dir else {
        output::stream(|out| clap_mangen::Man::new(command).render(out));
        return Ok(());
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::request(format!("cannot create {}: {e}", dir.display()), None))?;
    let mut written = 0;
    write_pages(command, "regtrace", dir, &mut written)?;
    eprintln!("regtrace: wrote {written} man pages into {}", dir.display());
    Ok(())
}

fn write_pages(command: clap::Command, name: &str, dir: &Path, written: &mut usize) -> Result<(), CliError> {
    let mut command = command;
    command.build();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .title(name.to_owned())
        .render(&mut page)
        .map_err(|e| CliError::request(format!("cannot render the man page of {name}: {e}"), None))?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, page)
        .map_err(|e| CliError::request(format!("cannot write {}: {e}", path.display()), None))?;
    *written += 1;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        write_pages(sub.clone(), &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
