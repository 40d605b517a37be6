//! `init`: a starter data set written into a new directory, that imports as it is and says in
//! its comments what to change: a device (and, by template, the standards it conforms to), the
//! data set's `[report]` table, a copy of the relation catalog to edit, and an Excel workbook to
//! fill in instead of TOML.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{AppError, Result};

regtrace_core::vocabulary! {
    /// What a starter data set holds.
    Template, "template" {
        /// One device to rename, the report table and the catalog.
        Blank => "blank",
        /// A device declaring conformity to two standards (ISO 14971:2019, IEC 62304).
        Device => "device",
        /// An infusion pump: IEC 60601-1 and -2-24, IEC 62304, and ISO 14971 through the JIS
        /// that adopts it.
        Pump => "pump",
    }
}

/// The starter data sets `regtrace init` writes, `crates/regtrace-app/templates/NAME/*`: (template, [(file
/// name, text)]) in file-name order.
pub const TEMPLATES: &[(&str, &[(&str, &str)])] = &[
    (
        "blank",
        &[
            ("audit.toml", include_str!("../templates/blank/audit.toml")),
            ("device.toml", include_str!("../templates/blank/device.toml")),
        ],
    ),
    (
        "device",
        &[
            ("audit.toml", include_str!("../templates/device/audit.toml")),
            ("device.toml", include_str!("../templates/device/device.toml")),
            (
                "standards.toml",
                include_str!("../templates/device/standards.toml"),
            ),
        ],
    ),
    (
        "pump",
        &[
            ("audit.toml", include_str!("../templates/pump/audit.toml")),
            ("pump.toml", include_str!("../templates/pump/pump.toml")),
            ("standards.toml", include_str!("../templates/pump/standards.toml")),
        ],
    ),
];

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Initialised {
    /// The directory.
    pub dir: PathBuf,
    /// The files written, in order.
    pub files: Vec<PathBuf>,
    /// The device the data set starts from (to rename).
    pub device: &'static str,
}

/// Writes the starter data set `template` into `dir`, which must not exist or be empty (nothing
/// is ever overwritten), and last `data.xlsx`: what `workbook` writes of the built-in catalog
/// (the front end has render make it: empty `nodes` and `edges` sheets with drop-downs).
pub fn init(
    dir: &Path,
    template: Template,
    workbook: impl FnOnce(&regtrace_core::RelationCatalog, &mut (dyn Write + Send)) -> std::io::Result<()>,
) -> Result<Initialised> {
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(AppError::request(
            format!(
                "{} exists and is not empty; init writes only into a new or empty directory",
                dir.display()
            ),
            Some("name a new directory (init creates it)".to_owned()),
        ));
    }
    if dir.exists() && !dir.is_dir() {
        return Err(AppError::request(
            format!("{} exists and is not a directory", dir.display()),
            Some("name a new directory (init creates it)".to_owned()),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|source| AppError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let files = TEMPLATES
        .iter()
        .find(|(name, _)| *name == template.as_str())
        .map_or(&[][..], |(_, files)| files);
    let catalog = ("catalog.toml", regtrace_source::embedded::CATALOG.1);
    let mut written = Vec::new();
    for (name, text) in files.iter().copied().chain([catalog]) {
        let path = dir.join(name);
        crate::output::write_file(&path, false, false, |w| w.write_all(text.as_bytes()))?;
        written.push(path);
    }
    let path = dir.join("data.xlsx");
    let catalog = regtrace_source::embedded::catalog();
    crate::output::write_file(&path, true, false, |w| workbook(&catalog, w))?;
    written.push(path);
    Ok(Initialised {
        dir: dir.to_owned(),
        files: written,
        device: match template {
            Template::Pump => "dev-my-pump",
            Template::Blank | Template::Device => "dev-my-device",
        },
    })
}
