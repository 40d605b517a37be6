//! `init`: what was written, and what to do next, in English or Japanese.

use regtrace_app::init::Initialised;
use regtrace_core::Lang;

/// The files written and the next commands to run.
pub fn summary(done: &Initialised, lang: Lang) -> String {
    let dir = done.dir.display();
    let device = done.device;
    let mut out = match lang {
        Lang::En => format!("wrote a starter data set into {dir}:\n"),
        Lang::Ja => format!("{dir} に初期データセットを書き込みました:\n"),
    };
    for file in &done.files {
        out.push_str(&format!("  {}\n", file.display()));
    }
    out.push_str(&match lang {
        Lang::En => format!(
            "next: rename {device} and edit the files (their comments say what to change), then\n  \
             regtrace check {dir}\n  regtrace --db my.db import {dir}\n  regtrace --db my.db deps {device}\n  \
             regtrace --db my.db audit\n"
        ),
        Lang::Ja => format!(
            "次に: {device} の名称を変え、各ファイルを編集してから（変更箇所はコメントに記載）\n  \
             regtrace check {dir}\n  regtrace --db my.db import {dir}\n  regtrace --db my.db deps {device}\n  \
             regtrace --db my.db audit\n"
        ),
    });
    out
}
