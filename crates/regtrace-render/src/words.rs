//! Every word regtrace itself says, in English and Japanese: one typed table.
//!
//! Ids and the data's own words (titles, notes, messages of a rules file) are never translated;
//! everything else a person reads — headings, column heads, kind and status names, severities,
//! review states, outcomes and verdicts — comes from here, so a Japanese page or report has no
//! English label left. A word is added as a [`Word`] variant with both spellings; the compiler
//! then finds every place that must say it.

use regtrace_core::audit::Severity;
use regtrace_core::{Lang, NodeKind, Status};

macro_rules! words {
    ($($(#[$meta:meta])* $variant:ident => ($en:literal, $ja:literal)),+ $(,)?) => {
        /// A word or phrase of regtrace's own.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Word {
            $($(#[$meta])* #[doc = concat!("“", $en, "” / 「", $ja, "」")] $variant),+
        }

        impl Word {
            /// Every word, for the test that each has both spellings.
            pub const ALL: &'static [Word] = &[$(Word::$variant),+];

            /// The word in English and in Japanese.
            pub fn both(self) -> (&'static str, &'static str) {
                match self {
                    $(Word::$variant => ($en, $ja)),+
                }
            }
        }
    };
}

words! {
    // Column heads and field labels.
    Id => ("id", "ID"),
    Kind => ("kind", "種別"),
    Status => ("status", "状態"),
    Title => ("title", "名称"),
    TitleJa => ("title (Japanese)", "名称（日本語）"),
    Rule => ("rule", "ルール"),
    Severity => ("severity", "重大度"),
    Findings => ("findings", "指摘数"),
    Checks => ("checks", "確認内容"),
    Covered => ("covered", "充足"),
    Of => ("of", "対象数"),
    Percent => ("%", "%"),
    Field => ("field", "分野"),
    Guidelines => ("guidelines", "ガイドライン数"),
    PublishedCount => ("published", "発行済み数"),
    Review => ("review", "レビュー"),
    Cause => ("cause", "原因"),
    Node => ("node", "ノード"),
    Verdict => ("verdict", "判定"),
    State => ("state", "状態"),
    By => ("by", "判断者"),
    Decided => ("decided", "判断日"),
    Note => ("note", "メモ"),
    Reason => ("reason", "理由"),
    Fix => ("Fix", "対処"),
    Generated => ("generated", "作成日時"),
    Regtrace => ("regtrace", "regtrace"),
    Data => ("data", "データ"),
    DataSha256 => ("data sha256", "データ SHA-256"),
    Rules => ("rules", "ルール"),
    RulesSha256 => ("rules sha256", "ルール SHA-256"),
    FieldName => ("field", "項目"),
    Value => ("value", "値"),
    NoStatus => ("none", "状態なし"),
    Relation => ("relation", "関係"),
    Event => ("event", "変更"),
    Opened => ("opened", "開始日"),
    Count => ("count", "件数"),
    ByStatus => ("by status", "状態別"),
    Impact => ("impact", "影響の向き"),
    Designation => ("designation", "規格番号"),
    Edition => ("edition", "版"),
    Body => ("body", "発行機関"),
    Source => ("source", "出典"),
    PublishedOn => ("published", "発行日"),
    EnactedOn => ("enacted", "制定日"),
    EffectiveOn => ("effective", "施行日"),
    WithdrawnOn => ("withdrawn", "廃止日"),
    Date => ("date", "日付"),
    What => ("what", "内容"),
    Recorded => ("recorded", "記録日時"),
    Clauses => ("clauses", "箇条数"),
    Direct => ("direct", "直接"),
    Transitive => ("transitive", "間接"),
    Orphaned => ("orphaned: node no longer in the data", "孤立: ノードはもうデータにありません"),
    Current => ("current", "現行"),
    NotInForce => ("not in force", "効力なし"),
    SupersededBy => ("superseded by", "置き換え先:"),
    // Headings and sentences.
    EditionsOf => ("Editions of", "規格の版:"),
    NoFamilyNode => ("(no standard_family node)", "（standard_family ノードなし）"),
    ClausesOf => ("Clauses of", "箇条:"),
    Crosswalks => ("Crosswalks:", "版の対応:"),
    ImpactedBy => ("Impacted by a change to", "次の変更の影響を受けるもの:"),
    DependenciesOf => ("Dependencies of", "次のノードが依存するもの:"),
    AsOf => (", as of", "、基準日"),
    Also => ("also", "他の経路"),
    KnownGap => ("known gap", "既知の欠落"),
    AuditTitle => ("regtrace audit", "regtrace 監査"),
    Coverage => ("Coverage", "充足状況"),
    Fields => ("Fields", "分野"),
    Target => ("Target", "目標"),
    Reviews => ("Reviews", "レビュー"),
    ReviewsEvidence => (
        "Closed reviews are the evidence of what was checked after each change; open ones are still to check.",
        "完了したレビューは各変更の後に何を確認したかの証拠であり、未完了のものはこれから確認するものです。"
    ),
    NoLongerInData => ("— (no longer in the data)", "—（データにありません）"),
    // Review states, outcomes and verdicts.
    Open => ("open", "未完了"),
    Closed => ("closed", "完了"),
    Unchanged => ("unchanged", "変更なし"),
    Revised => ("revised", "改訂"),
    WithdrawnOutcome => ("withdrawn", "廃止"),
    ToReview => ("review", "要レビュー"),
    ProbablyUnaffected => ("probably unaffected", "影響なしの見込み"),
}

impl Word {
    /// The word in `lang`.
    pub fn say(self, lang: Lang) -> &'static str {
        let (en, ja) = self.both();
        match lang {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

/// A node kind's name in `lang`: the data's own word in English (`evaluation_item`), so English
/// output reads as the files are written.
pub fn kind(kind: NodeKind, lang: Lang) -> &'static str {
    match lang {
        Lang::En => kind.as_str(),
        Lang::Ja => match kind {
            NodeKind::Device => "医療機器",
            NodeKind::Field => "分野",
            NodeKind::Guideline => "ガイドライン",
            NodeKind::EvaluationIndex => "評価指標",
            NodeKind::EvaluationItem => "評価項目",
            NodeKind::TestMethod => "試験方法",
            NodeKind::Standard => "規格",
            NodeKind::StandardFamily => "規格群",
            NodeKind::Clause => "箇条",
            NodeKind::Regulation => "法規制",
            NodeKind::Policy => "政策",
            NodeKind::Organization => "組織",
            NodeKind::WorkingGroup => "作業部会",
            NodeKind::Programme => "事業",
            NodeKind::Requirement => "要求事項",
            NodeKind::Section => "節",
        },
    }
}

/// A status's name in `lang`.
pub fn status(status: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::En => status.as_str(),
        Lang::Ja => match status {
            Status::Planned => "計画中",
            Status::Proposed => "提案中",
            Status::InProgress => "作成中",
            Status::Draft => "案",
            Status::Published => "発行済み",
            Status::Enacted => "制定済み",
            Status::Active => "有効",
            Status::Superseded => "改訂済み",
            Status::Withdrawn => "廃止",
            Status::Closed => "終了",
        },
    }
}

/// A severity's name in `lang`.
pub fn severity(severity: Severity, lang: Lang) -> &'static str {
    match lang {
        Lang::En => severity.as_str(),
        Lang::Ja => match severity {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
            Severity::Info => "情報",
        },
    }
}

/// "N errors, N warnings, N info" in `lang`.
pub fn severity_totals(errors: usize, warnings: usize, info: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{errors} errors, {warnings} warnings, {info} info"),
        Lang::Ja => format!("エラー {errors} 件、警告 {warnings} 件、情報 {info} 件"),
    }
}

/// A sentence of regtrace's own that carries numbers or names: said whole in each language, as
/// word order differs.
#[derive(Debug, Clone, PartialEq)]
pub enum Phrase {
    /// "N errors, N warnings, N info".
    SeverityTotals {
        /// Errors.
        errors: usize,
        /// Warnings.
        warnings: usize,
        /// Info.
        info: usize,
    },
    /// A count in brackets after a heading: "(N)".
    Counted(usize),
    /// "Reviews (N, N open)".
    ReviewsHeading {
        /// Reviews in all.
        total: usize,
        /// Of them, open.
        open: usize,
    },
    /// Under a list of nodes: "N nodes", and how many are shown.
    NodesTotal {
        /// Nodes in all.
        total: usize,
        /// Shown, if fewer.
        shown: Option<usize>,
    },
    /// Under search hits: "N found", and how many are shown.
    Found {
        /// Hits in all.
        total: usize,
        /// Shown, if fewer.
        shown: Option<usize>,
    },
    /// "outgoing relations (N):" or "incoming relations (N):".
    RelationsOf {
        /// True for the node's own relations, false for those pointing at it.
        outgoing: bool,
        /// How many.
        count: usize,
    },
    /// "reviews (N):" of one node.
    ReviewsOf(usize),
    /// A closed review's decision: "closed DAY: OUTCOME by WHO".
    DecidedBy {
        /// The day decided.
        day: String,
        /// The outcome's word.
        outcome: Word,
        /// Who decided.
        by: String,
    },
    /// "SOURCE: N nodes, N edges".
    DataSize {
        /// Where the data comes from.
        source: String,
        /// Nodes.
        nodes: usize,
        /// Edges.
        edges: usize,
    },
    /// "query snapshot: STATE", and what a stale one means.
    SnapshotState {
        /// `current`, `stale`, `damaged`, ….
        state: String,
    },
    /// "A and B are not connected", with the hop limit searched.
    NotConnected {
        /// From.
        from: String,
        /// To.
        to: String,
        /// The hop limit, when one applied.
        within: Option<usize>,
    },
    /// "(N hops)" after a chain.
    Hops(usize),
    /// " (N rows, N columns, N linked cells)" after a matrix's caption.
    MatrixSize {
        /// Rows.
        rows: usize,
        /// Columns.
        columns: usize,
        /// Linked cells.
        linked: usize,
    },
    /// " … (N more hops)" after a chain cut short.
    MoreHops(usize),
    /// "… N more not shown (--limit N)".
    MoreNotShown {
        /// Not shown.
        more: usize,
        /// Shown.
        shown: usize,
    },
    /// The counts of an impact or dependency answer: "N impacted: N guideline, N device; N of
    /// them probably unaffected".
    Reached {
        /// Impact (true) or dependencies.
        impact: bool,
        /// Hits in all.
        total: usize,
        /// Per kind, in the order shown.
        kinds: Vec<(NodeKind, usize)>,
        /// Of them, probably unaffected.
        unaffected: usize,
    },
    /// "N review(s), N open".
    ReviewCount {
        /// Reviews listed.
        total: usize,
        /// Of them, open.
        open: usize,
    },
    /// " (corrected N×)" after a decision corrected N times.
    Corrected(usize),
    /// "N of N (P%), as stated in FILE".
    Target {
        /// Counted.
        count: usize,
        /// The target.
        target: usize,
        /// The percentage.
        percent: f64,
        /// Where the target is stated.
        stated_in: String,
    },
}

impl Phrase {
    /// The sentence in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                Phrase::SeverityTotals {
                    errors,
                    warnings,
                    info,
                },
                _,
            ) => severity_totals(*errors, *warnings, *info, lang),
            (Phrase::Counted(n), _) => format!(" ({n})"),
            (Phrase::NodesTotal { total, shown: None }, Lang::En) => format!("{total} nodes"),
            (
                Phrase::NodesTotal {
                    total,
                    shown: Some(shown),
                },
                Lang::En,
            ) => format!(
                "{total} nodes ({shown} shown, the first by id; --limit N to see more, --limit 0 for all)"
            ),
            (Phrase::NodesTotal { total, shown: None }, Lang::Ja) => format!("{total} 件"),
            (
                Phrase::NodesTotal {
                    total,
                    shown: Some(shown),
                },
                Lang::Ja,
            ) => format!(
                "{total} 件（ID 順に最初の {shown} 件を表示。--limit N で件数を指定、--limit 0 ですべて）"
            ),
            (Phrase::Found { total, shown: None }, Lang::En) => format!("{total} found"),
            (
                Phrase::Found {
                    total,
                    shown: Some(shown),
                },
                Lang::En,
            ) => {
                format!("{total} found ({shown} shown; --limit to see more)")
            }
            (Phrase::Found { total, shown: None }, Lang::Ja) => format!("{total} 件見つかりました"),
            (
                Phrase::Found {
                    total,
                    shown: Some(shown),
                },
                Lang::Ja,
            ) => {
                format!("{total} 件見つかりました（{shown} 件を表示。--limit で件数を指定）")
            }
            (
                Phrase::RelationsOf {
                    outgoing: true,
                    count,
                },
                Lang::En,
            ) => format!("outgoing relations ({count}):"),
            (
                Phrase::RelationsOf {
                    outgoing: false,
                    count,
                },
                Lang::En,
            ) => format!("incoming relations ({count}):"),
            (
                Phrase::RelationsOf {
                    outgoing: true,
                    count,
                },
                Lang::Ja,
            ) => format!("このノードからの関係（{count}）:"),
            (
                Phrase::RelationsOf {
                    outgoing: false,
                    count,
                },
                Lang::Ja,
            ) => format!("このノードへの関係（{count}）:"),
            (Phrase::ReviewsOf(n), Lang::En) => format!("reviews ({n}):"),
            (Phrase::ReviewsOf(n), Lang::Ja) => format!("レビュー（{n}）:"),
            (Phrase::DecidedBy { day, outcome, by }, Lang::En) => {
                format!("closed {day}: {} by {by}", outcome.say(lang))
            }
            (Phrase::DecidedBy { day, outcome, by }, Lang::Ja) => {
                format!("{day} 完了: {}（{by}）", outcome.say(lang))
            }
            (Phrase::DataSize { source, nodes, edges }, Lang::En) => {
                format!("{source}: {nodes} nodes, {edges} edges")
            }
            (Phrase::DataSize { source, nodes, edges }, Lang::Ja) => {
                format!("{source}: ノード {nodes} 件、関係 {edges} 件")
            }
            (Phrase::SnapshotState { state }, Lang::En) if state == "current" => {
                "query snapshot: current".to_owned()
            }
            (Phrase::SnapshotState { state }, Lang::Ja) if state == "current" => {
                "検索用スナップショット: 最新".to_owned()
            }
            (Phrase::SnapshotState { state }, Lang::En) => format!(
                "query snapshot: {state}; queries load the rows instead (slower on large data); \
                 `regtrace verify --repair` rebuilds it"
            ),
            (Phrase::SnapshotState { state }, Lang::Ja) => format!(
                "検索用スナップショット: {state}。代わりに行を読み込みます（大きなデータでは遅くなります）。\
                 `regtrace verify --repair` で作り直せます"
            ),
            (
                Phrase::NotConnected {
                    from,
                    to,
                    within: None,
                },
                Lang::En,
            ) => format!("{from} and {to} are not connected"),
            (
                Phrase::NotConnected {
                    from,
                    to,
                    within: Some(n),
                },
                Lang::En,
            ) => {
                format!("{from} and {to} are not connected within {n} hops")
            }
            (
                Phrase::NotConnected {
                    from,
                    to,
                    within: None,
                },
                Lang::Ja,
            ) => format!("{from} と {to} はつながっていません"),
            (
                Phrase::NotConnected {
                    from,
                    to,
                    within: Some(n),
                },
                Lang::Ja,
            ) => {
                format!("{from} と {to} は {n} ホップ以内ではつながっていません")
            }
            (
                Phrase::MatrixSize {
                    rows,
                    columns,
                    linked,
                },
                Lang::En,
            ) => {
                format!(" ({rows} rows, {columns} columns, {linked} linked cells)")
            }
            (
                Phrase::MatrixSize {
                    rows,
                    columns,
                    linked,
                },
                Lang::Ja,
            ) => {
                format!("（{rows} 行、{columns} 列、リンクのあるセル {linked}）")
            }
            (Phrase::MoreHops(n), Lang::En) => format!(" … ({n} more hops)"),
            (Phrase::MoreHops(n), Lang::Ja) => format!(" …（ほか {n} ホップ）"),
            (Phrase::MoreNotShown { more, shown }, Lang::En) => {
                format!("… {more} more not shown (--limit {shown})")
            }
            (Phrase::MoreNotShown { more, shown }, Lang::Ja) => {
                format!("… ほか {more} 件は表示していません（--limit {shown}）")
            }
            (
                Phrase::Reached {
                    impact,
                    total,
                    kinds,
                    unaffected,
                },
                _,
            ) => {
                let parts: Vec<String> = kinds
                    .iter()
                    .map(|(k, n)| match lang {
                        Lang::En => format!("{n} {}", kind(*k, lang)),
                        Lang::Ja => format!("{} {n}", kind(*k, lang)),
                    })
                    .collect();
                let mut text = match (lang, impact) {
                    (Lang::En, true) => format!("{total} impacted"),
                    (Lang::En, false) => format!("{total} dependencies"),
                    (Lang::Ja, true) => format!("影響 {total} 件"),
                    (Lang::Ja, false) => format!("依存先 {total} 件"),
                };
                if !parts.is_empty() {
                    text.push_str(match lang {
                        Lang::En => ": ",
                        Lang::Ja => "：",
                    });
                    text.push_str(&parts.join(match lang {
                        Lang::En => ", ",
                        Lang::Ja => "、",
                    }));
                }
                if *unaffected > 0 {
                    text.push_str(&match lang {
                        Lang::En => format!(
                            "; {unaffected} of them probably unaffected (a clause carried over equivalent_to)"
                        ),
                        Lang::Ja => format!(
                            "。うち {unaffected} 件は影響なしの見込み（equivalent_to で引き継がれた箇条）"
                        ),
                    });
                }
                text
            }
            (Phrase::ReviewCount { total, open }, Lang::En) => format!("{total} review(s), {open} open"),
            (Phrase::ReviewCount { total, open }, Lang::Ja) => {
                format!("レビュー {total} 件、未完了 {open} 件")
            }
            (Phrase::Corrected(n), Lang::En) => format!(" (corrected {n}×)"),
            (Phrase::Corrected(n), Lang::Ja) => format!("（{n} 回訂正）"),
            (Phrase::Hops(1), Lang::En) => "(1 hop)".to_owned(),
            (Phrase::Hops(n), Lang::En) => format!("({n} hops)"),
            (Phrase::Hops(n), Lang::Ja) => format!("（{n} ホップ）"),
            (Phrase::ReviewsHeading { total, open }, Lang::En) => format!("Reviews ({total}, {open} open)"),
            (Phrase::ReviewsHeading { total, open }, Lang::Ja) => {
                format!("レビュー（{total} 件、未完了 {open} 件）")
            }
            (
                Phrase::Target {
                    count,
                    target,
                    percent,
                    stated_in,
                },
                Lang::En,
            ) => {
                format!("{count} of {target} ({percent:.1}%), as stated in {stated_in}.")
            }
            (
                Phrase::Target {
                    count,
                    target,
                    percent,
                    stated_in,
                },
                Lang::Ja,
            ) => {
                format!("{target} 件中 {count} 件（{percent:.1}%）。目標の出典: {stated_in}")
            }
        }
    }
}

/// One of regtrace's own words as stored or sent in JSON — a kind, a status, a severity, a
/// review state or outcome, a verdict — in `lang`; `None` for any other text (an id, a title).
pub fn vocabulary(word: &str, lang: Lang) -> Option<&'static str> {
    if let Ok(k) = word.parse::<NodeKind>() {
        return Some(kind(k, lang));
    }
    if let Ok(s) = word.parse::<Status>() {
        return Some(status(s, lang));
    }
    if let Some(s) = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .find(|s| s.as_str() == word)
    {
        return Some(severity(s, lang));
    }
    match word {
        "review" => Some(Word::ToReview.say(lang)),
        "probably_unaffected" | "probably unaffected" => Some(Word::ProbablyUnaffected.say(lang)),
        "current" => Some(Word::Current.say(lang)),
        "not in force" => Some(Word::NotInForce.say(lang)),
        _ => state_word(word).map(|w| w.say(lang)),
    }
}

/// The label of a node record's field (`id`, `kind`, `title_ja`, `designation`, …) in `lang`;
/// `None` for a field regtrace has no word for.
pub fn node_field(name: &str) -> Option<Word> {
    Some(match name {
        "id" => Word::Id,
        "kind" => Word::Kind,
        "title" => Word::Title,
        "title_ja" => Word::TitleJa,
        "status" => Word::Status,
        "designation" => Word::Designation,
        "edition" => Word::Edition,
        "body" => Word::Body,
        "source" => Word::Source,
        other => return date_field(other),
    })
}

/// The word of a date field (`published`, `enacted`, `effective`, `withdrawn`).
pub fn date_field(name: &str) -> Option<Word> {
    Some(match name {
        "published" => Word::PublishedOn,
        "enacted" => Word::EnactedOn,
        "effective" => Word::EffectiveOn,
        "withdrawn" => Word::WithdrawnOn,
        _ => return None,
    })
}

/// The word of a stored review state or outcome (`open`, `unchanged`, `revised`, `withdrawn`),
/// if it is one of regtrace's.
pub fn state_word(word: &str) -> Option<Word> {
    Some(match word {
        "open" => Word::Open,
        "closed" => Word::Closed,
        "unchanged" => Word::Unchanged,
        "revised" => Word::Revised,
        "withdrawn" => Word::WithdrawnOutcome,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_kind_and_status_has_both_spellings_and_japanese_ones_are_not_english() {
        for word in Word::ALL {
            let (en, ja) = word.both();
            assert!(!en.is_empty() && !ja.is_empty(), "{word:?}");
            // A Japanese spelling may keep a name (regtrace, SHA-256, ID, %), never an English
            // phrase.
            assert!(
                !ja.is_ascii() || matches!(*word, Word::Id | Word::Percent | Word::Regtrace),
                "{word:?} has no Japanese: {ja}"
            );
        }
        for k in NodeKind::ALL {
            assert!(kind(*k, Lang::Ja).chars().all(|c| !c.is_ascii()), "{k}");
            assert_eq!(kind(*k, Lang::En), k.as_str());
        }
        for s in Status::ALL {
            assert!(status(*s, Lang::Ja).chars().all(|c| !c.is_ascii()), "{s}");
        }
    }
}
