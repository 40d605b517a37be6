//! Every word regtrace itself says, in English and Japanese: one typed table.
//!
//! Ids and the data's own words (titles, notes; a rules file's texts, which it may give in both
//! languages) are never translated; everything else a person reads — headings, column heads,
//! kind and status names, severities, review states, outcomes, verdicts and what an audit finding
//! says ([`finding`]) — comes from here, so a Japanese page or report has no English label left. A word is added as a [`Word`] variant with both spellings; the compiler
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
    NotFollowed => ("Not in force on that day, so not followed", "その日に効力がないため、たどらなかったもの"),
    SupersededBy => ("superseded by", "置き換え先:"),
    Version => ("version", "バージョン"),
    Search => ("Search", "検索"),
    Hops => ("hops", "ホップ"),
    BuildTarget => ("target", "ビルド対象"),
    ImpactToSource => ("to_source", "参照元へ伝わる"),
    ImpactToTarget => ("to_target", "参照先へ伝わる"),
    ImpactNone => ("none", "伝わらない"),
    Commit => ("commit", "コミット"),
    CommitDate => ("commit date", "コミット日"),
    Uncommitted => ("uncommitted changes", "未コミットの変更"),
    Yes => ("yes", "あり"),
    No => ("no", "なし"),
    File => ("file", "ファイル"),
    Snapshot => ("snapshot", "スナップショット"),
    HistoryLabel => ("history", "履歴"),
    Repaired => ("repaired", "修復"),
    FileSound => ("sound (SQLite integrity_check ok)", "健全（SQLite integrity_check 合格）"),
    SnapshotSound => ("sound (every section passes its checksum)", "健全（すべての区画がチェックサムに合格）"),
    SnapshotMissing => ("missing", "ありません"),
    SnapshotNotCurrent => (
        "not current (left by an interrupted import, or by an older regtrace)",
        "最新ではありません（中断した取り込み、または古い regtrace が残したもの）"
    ),
    Damaged => ("damaged", "破損"),
    SnapshotNotNeeded => ("none needed (no data imported yet)", "不要（まだデータを取り込んでいません）"),
    RepairedSnapshot => (
        "the snapshot was rebuilt from the rows and now passes every check",
        "スナップショットを行から作り直し、すべての検査に合格しました"
    ),
    Sound => ("sound", "健全"),
    NotSoundHistory => (
        "not sound: the history was changed outside regtrace; restore the database from a backup, or import an export made before the change (`import FILE.json`, `import --history-dir DIR`)",
        "健全ではありません: 履歴が regtrace の外で変更されています。バックアップからデータベースを戻すか、変更前のエクスポートをインポートしてください（`import FILE.json`、`import --history-dir DIR`）"
    ),
    NotSoundRestore => (
        "not sound: restore the database from a backup, or re-import the source files",
        "健全ではありません: バックアップからデータベースを戻すか、元のファイルを取り込み直してください"
    ),
    NotSoundRepair => (
        "not sound: `verify --repair` rebuilds the snapshot from the rows (queries read the rows meanwhile)",
        "健全ではありません: `verify --repair` でスナップショットを行から作り直せます（その間、問い合わせは行を読みます）"
    ),
    Invalid => ("invalid", "不正"),
    Unset => ("(unset)", "（未設定）"),
    NotContentChange => (
        "(no field of its fingerprint changed: not a content change)",
        "（指紋の項目は変わっていません: 内容の変更ではありません）"
    ),
    WhitespaceOnly => ("(whitespace only)", "（空白のみ）"),
    Identical => ("identical: no differences", "同一: 違いはありません"),
    ThroughOldData => ("(through the old data)", "（古いデータを通じて）"),
    ChangedNode => ("changed", "変更"),
    // Headings and sentences.
    ReportTitle => ("regtrace report", "regtrace 報告書"),
    ImpactOfChangesHeading => ("Impact of changes", "変更の影響"),
    NoChangeRecorded => (
        "No change is recorded and none was asked about (--impact-of).",
        "記録された変更はなく、問い合わせ（--impact-of）もありません。"
    ),
    NoDiagram => ("No diagram", "図はありません"),
    Comparing => ("Comparing", "比較:"),
    Added => ("Added", "追加"),
    Removed => ("Removed", "削除"),
    Changed => ("Changed", "変更"),
    LinksAdded => ("Links added", "追加された関係"),
    LinksRemoved => ("Links removed", "削除された関係"),
    LinksNewSource => ("Links with a new source", "出典が変わった関係"),
    ImpactOfChanges => ("Impact of these changes", "これらの変更の影響"),
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
    DocumentId => ("document", "文書番号"),
    Revision => ("revision", "改訂"),
    ScopeLabel => ("covers", "範囲"),
    SignOff => ("Sign-off", "承認欄"),
    Responsibility => ("for", "担当"),
    PreparedBy => ("prepared by", "作成"),
    ApprovedBy => ("approved by", "承認"),
    Name => ("name", "氏名"),
    Role => ("role", "役割"),
    Signature => ("signature", "署名"),
    Keeps => ("keeps resting on", "引き続き依拠"),
    Audit => ("Audit", "監査"),
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
    /// What an audit finding says (see [`finding`]).
    Finding(regtrace_core::audit::Says),
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
    /// Why a hit is probably unaffected ([`regtrace_core::Unaffected`]), by id.
    Unaffected {
        /// The clause of the changed edition on every path to the hit.
        clause: String,
        /// The newer edition.
        edition: String,
        /// The clause of the newer edition it is `equivalent_to`.
        counterpart: String,
    },
    /// A report's scope: "pump-x and what it rests on (N nodes)".
    Scope {
        /// The nodes named.
        named: Vec<String>,
        /// The nodes within, the named ones included.
        nodes: usize,
    },
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
    /// "N row–column pair(s) linked only by chains longer than --max-hops M are left empty".
    LeftOut {
        /// Pairs left out.
        pairs: usize,
        /// The limit.
        max_hops: u32,
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
    /// ": N full, N probably unaffected (…)" after the reviews a change opened; empty if none is
    /// probably unaffected.
    VerdictSummary {
        /// Reviews opened.
        total: usize,
        /// Of them, probably unaffected.
        unaffected: usize,
    },
    /// "imported N nodes, N edges, N relations into DB".
    Imported {
        /// Nodes.
        nodes: usize,
        /// Edges.
        edges: usize,
        /// Relations of the catalog.
        relations: usize,
        /// The database.
        db: String,
    },
    /// "restored the history: N change event(s), N review(s), N decision(s)".
    Restored {
        /// Events.
        events: usize,
        /// Reviews.
        reviews: usize,
        /// Decisions.
        decisions: usize,
    },
    /// "recorded change #N on NODE (DATE)[: WHAT]; opened N review(s)".
    RecordedChange {
        /// The event's number.
        event: i64,
        /// The changed node.
        node: String,
        /// The date of the change.
        date: String,
        /// What happened, when said.
        what: Option<String>,
        /// Reviews opened.
        reviews: usize,
    },
    /// "no content changes to record".
    NoContentChanges,
    /// "ASKED is a new edition of OLDER: the change is recorded on the edition(s) it supersedes".
    NewEditionOf {
        /// The node asked about.
        asked: String,
        /// The editions it supersedes.
        older: String,
    },
    /// "  no review opened: WHY".
    NoReviewOpened(String),
    /// "skipped N not in force on DATE (nor what rests only on them): NAMED" (see
    /// [`crate::history::skipped`]).
    Skipped {
        /// How many.
        count: usize,
        /// The date.
        date: String,
        /// The first ones, with why.
        named: String,
        /// How many more are not named.
        more: usize,
    },
    /// "closed N review(s) of ID".
    ClosedReviews {
        /// How many.
        count: usize,
        /// Of what.
        of: String,
    },
    /// "corrected review #N of ID: WAS → NOW (the earlier decision stays on record)".
    CorrectedReview {
        /// The review.
        review: i64,
        /// Of what.
        of: String,
        /// The outcome before.
        was: Word,
        /// The outcome now.
        now: Word,
    },
    /// "ok: N nodes, N edges, N relations in the catalog; nothing written".
    Checked {
        /// Nodes.
        nodes: usize,
        /// Edges.
        edges: usize,
        /// Relations of the catalog.
        relations: usize,
    },
    /// "wrote N change event file(s) to DIR".
    WroteEventFiles {
        /// How many.
        count: usize,
        /// Where.
        dir: String,
    },
    /// The totals of a comparison.
    Compared {
        /// Nodes added.
        added: usize,
        /// Nodes removed.
        removed: usize,
        /// Nodes changed.
        changed: usize,
        /// Of them, in content.
        content: usize,
        /// Links added.
        links_added: usize,
        /// Links removed.
        links_removed: usize,
        /// Links with a new source.
        links_changed: usize,
    },
    /// "0.1.0 (commit 1a2b3c, 2026-12-03[, with uncommitted changes])".
    Build {
        /// The version.
        version: String,
        /// The commit.
        commit: String,
        /// Its date.
        date: String,
        /// True when built with uncommitted changes.
        dirty: bool,
    },
    /// A report section's heading: "Change #N on NODE: WHAT (DATE, recorded by WHO)".
    ReportChange {
        /// The event.
        event: i64,
        /// The changed node.
        node: String,
        /// What happened.
        what: String,
        /// When.
        date: String,
        /// Who recorded it.
        by: Option<String>,
    },
    /// A report section's heading: "Impact of a change to A, B".
    ImpactOfNodes(String),
    /// "N nodes impacted[, as of DATE]."
    NodesImpacted {
        /// How many.
        total: usize,
        /// The date, for a recorded change.
        as_of: Option<String>,
    },
    /// "does not hold: PROBLEMS" (a history's hash chain).
    ChainBroken(Vec<String>),
    /// "DAY (recorded for a change of DAY)": a record entered after the fact.
    RecordedFor {
        /// When it was recorded.
        recorded: String,
        /// When the change took effect.
        changed: String,
    },
    /// "OLDER is now STATUS: NEWER replaces it (published, in force)": set by a merge.
    NoLongerCurrent {
        /// The stored node.
        older: String,
        /// The newer node of the files.
        newer: String,
        /// Its status now.
        status: Status,
    },
    /// "sealed (N records, chain head HASH)".
    ChainHead {
        /// Records in the chain.
        length: u64,
        /// The last record's hash.
        hash: String,
    },
    /// "valid (N nodes, N edges)".
    ValidData {
        /// Nodes.
        nodes: usize,
        /// Edges.
        edges: usize,
    },
    /// "N problem(s):".
    Problems(usize),
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
            (Phrase::Finding(says), _) => finding(says, lang),
            (
                Phrase::SeverityTotals {
                    errors,
                    warnings,
                    info,
                },
                _,
            ) => severity_totals(*errors, *warnings, *info, lang),
            (Phrase::Counted(n), _) => format!(" ({n})"),
            (
                Phrase::Unaffected {
                    clause,
                    edition,
                    counterpart,
                },
                Lang::En,
            ) => regtrace_core::editions::unaffected_reason(clause, edition, counterpart),
            (
                Phrase::Unaffected {
                    clause,
                    edition,
                    counterpart,
                },
                Lang::Ja,
            ) => format!(
                "変更には箇条 {clause} を通じてのみ依拠し、{edition} はこれを {counterpart} として引き継いでいる（equivalent_to）"
            ),
            (Phrase::Scope { named, nodes }, Lang::En) => {
                format!("{} and what it rests on ({nodes} nodes)", named.join(", "))
            }
            (Phrase::Scope { named, nodes }, Lang::Ja) => {
                format!("{} とその依拠先（{nodes} 件）", named.join("、"))
            }
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
            (Phrase::LeftOut { pairs, max_hops }, Lang::En) => format!(
                "{pairs} row–column pair(s) are linked only by chains longer than --max-hops {max_hops}, and left empty: raise --max-hops to see them"
            ),
            (Phrase::LeftOut { pairs, max_hops }, Lang::Ja) => format!(
                "{pairs} 組の行と列は --max-hops {max_hops} より長い連鎖でしかつながらないため、空欄にしています。見るには --max-hops を大きくしてください"
            ),
            (Phrase::VerdictSummary { unaffected: 0, .. }, _) => String::new(),
            (Phrase::VerdictSummary { total, unaffected }, Lang::En) => format!(
                ": {} full, {unaffected} probably unaffected (they rest on the change only through clauses the \
                 newer edition carries over; confirm them with `review close`)",
                total - unaffected
            ),
            (Phrase::VerdictSummary { total, unaffected }, Lang::Ja) => format!(
                "：通常 {} 件、影響なしの見込み {unaffected} 件（新しい版が引き継いだ箇条を通じてのみ変更に依拠しています。\
                 `review close` で確認してください）",
                total - unaffected
            ),
            (
                Phrase::Imported {
                    nodes,
                    edges,
                    relations,
                    db,
                },
                Lang::En,
            ) => {
                format!("imported {nodes} nodes, {edges} edges, {relations} relations into {db}")
            }
            (
                Phrase::Imported {
                    nodes,
                    edges,
                    relations,
                    db,
                },
                Lang::Ja,
            ) => {
                format!("{db} に取り込みました: ノード {nodes} 件、関係 {edges} 件、関係の種類 {relations}")
            }
            (
                Phrase::Restored {
                    events,
                    reviews,
                    decisions,
                },
                Lang::En,
            ) => format!(
                "restored the history: {events} change event(s), {reviews} review(s), {decisions} decision(s)"
            ),
            (
                Phrase::Restored {
                    events,
                    reviews,
                    decisions,
                },
                Lang::Ja,
            ) => {
                format!("履歴を復元しました: 変更 {events} 件、レビュー {reviews} 件、判断 {decisions} 件")
            }
            (
                Phrase::RecordedChange {
                    event,
                    node,
                    date,
                    what,
                    reviews,
                },
                Lang::En,
            ) => {
                let what = what.as_deref().map(|w| format!(": {w}")).unwrap_or_default();
                format!("recorded change #{event} on {node} ({date}){what}; opened {reviews} review(s)")
            }
            (
                Phrase::RecordedChange {
                    event,
                    node,
                    date,
                    what,
                    reviews,
                },
                Lang::Ja,
            ) => {
                let what = what.as_deref().map(|w| format!("：{w}")).unwrap_or_default();
                format!(
                    "変更 #{event} を記録しました: {node}（{date}）{what}。レビューを {reviews} 件開きました"
                )
            }
            (Phrase::NoContentChanges, Lang::En) => "no content changes to record".to_owned(),
            (Phrase::NoContentChanges, Lang::Ja) => "記録する内容の変更はありません".to_owned(),
            (Phrase::NewEditionOf { asked, older }, Lang::En) => format!(
                "{asked} is a new edition of {older}: the change is recorded on the edition(s) it supersedes"
            ),
            (Phrase::NewEditionOf { asked, older }, Lang::Ja) => {
                format!("{asked} は {older} の新しい版です。変更は置き換えられる版に記録します")
            }
            (Phrase::NoReviewOpened(why), Lang::En) => format!("  no review opened: {why}"),
            (Phrase::NoReviewOpened(why), Lang::Ja) => format!("  レビューは開いていません: {why}"),
            (
                Phrase::Skipped {
                    count,
                    date,
                    named,
                    more,
                },
                Lang::En,
            ) => {
                let more = if *more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("skipped {count} not in force on {date} (nor what rests only on them): {named}{more}")
            }
            (
                Phrase::Skipped {
                    count,
                    date,
                    named,
                    more,
                },
                Lang::Ja,
            ) => {
                let more = if *more > 0 {
                    format!(" ほか {more} 件")
                } else {
                    String::new()
                };
                format!(
                    "{date} に効力のない {count} 件（とそれだけに依拠するもの）は飛ばしました: {named}{more}"
                )
            }
            (Phrase::ClosedReviews { count, of }, Lang::En) => format!("closed {count} review(s) of {of}"),
            (Phrase::ClosedReviews { count, of }, Lang::Ja) => {
                format!("{of} のレビューを {count} 件完了しました")
            }
            (Phrase::CorrectedReview { review, of, was, now }, Lang::En) => format!(
                "corrected review #{review} of {of}: {} → {} (the earlier decision stays on record)",
                was.say(lang),
                now.say(lang)
            ),
            (Phrase::CorrectedReview { review, of, was, now }, Lang::Ja) => format!(
                "{of} のレビュー #{review} を訂正しました: {} → {}（前の判断も記録に残ります）",
                was.say(lang),
                now.say(lang)
            ),
            (
                Phrase::Checked {
                    nodes,
                    edges,
                    relations,
                },
                Lang::En,
            ) => format!(
                "ok: {nodes} nodes, {edges} edges, {relations} relations in the catalog; nothing written"
            ),
            (
                Phrase::Checked {
                    nodes,
                    edges,
                    relations,
                },
                Lang::Ja,
            ) => format!(
                "問題ありません: ノード {nodes} 件、関係 {edges} 件、カタログの関係の種類 {relations}。何も書き込んでいません"
            ),
            (Phrase::WroteEventFiles { count, dir }, Lang::En) => {
                format!("wrote {count} change event file(s) to {dir}")
            }
            (Phrase::WroteEventFiles { count, dir }, Lang::Ja) => {
                format!("変更ファイルを {count} 件 {dir} に書き出しました")
            }
            (
                Phrase::Compared {
                    added,
                    removed,
                    changed,
                    content,
                    links_added,
                    links_removed,
                    links_changed,
                },
                Lang::En,
            ) => format!(
                "{added} added, {removed} removed, {changed} changed ({content} in content); links: {links_added} added, {links_removed} removed, {links_changed} with a new source"
            ),
            (
                Phrase::Compared {
                    added,
                    removed,
                    changed,
                    content,
                    links_added,
                    links_removed,
                    links_changed,
                },
                Lang::Ja,
            ) => format!(
                "追加 {added}、削除 {removed}、変更 {changed}（うち内容の変更 {content}）。関係: 追加 {links_added}、削除 {links_removed}、出典の変更 {links_changed}"
            ),
            (
                Phrase::Build {
                    version,
                    commit,
                    date,
                    dirty,
                },
                Lang::En,
            ) => {
                let dirty = if *dirty { ", with uncommitted changes" } else { "" };
                format!("{version} (commit {commit}, {date}{dirty})")
            }
            (
                Phrase::Build {
                    version,
                    commit,
                    date,
                    dirty,
                },
                Lang::Ja,
            ) => {
                let dirty = if *dirty {
                    "、未コミットの変更あり"
                } else {
                    ""
                };
                format!("{version}（コミット {commit}、{date}{dirty}）")
            }
            (
                Phrase::ReportChange {
                    event,
                    node,
                    what,
                    date,
                    by,
                },
                Lang::En,
            ) => {
                let by = by
                    .as_deref()
                    .map(|b| format!(", recorded by {b}"))
                    .unwrap_or_default();
                format!("Change #{event} on {node}: {what} ({date}{by})")
            }
            (
                Phrase::ReportChange {
                    event,
                    node,
                    what,
                    date,
                    by,
                },
                Lang::Ja,
            ) => {
                let by = by.as_deref().map(|b| format!("、記録者 {b}")).unwrap_or_default();
                format!("変更 #{event}（{node}）: {what}（{date}{by}）")
            }
            (Phrase::ImpactOfNodes(ids), Lang::En) => format!("Impact of a change to {ids}"),
            (Phrase::ImpactOfNodes(ids), Lang::Ja) => format!("{ids} の変更の影響"),
            (Phrase::NodesImpacted { total, as_of: None }, Lang::En) => format!("{total} nodes impacted."),
            (
                Phrase::NodesImpacted {
                    total,
                    as_of: Some(d),
                },
                Lang::En,
            ) => {
                format!("{total} nodes impacted, as of {d}.")
            }
            (Phrase::NodesImpacted { total, as_of: None }, Lang::Ja) => {
                format!("影響を受けるノード {total} 件。")
            }
            (
                Phrase::NodesImpacted {
                    total,
                    as_of: Some(d),
                },
                Lang::Ja,
            ) => {
                format!("影響を受けるノード {total} 件（基準日 {d}）。")
            }
            (Phrase::RecordedFor { recorded, changed }, Lang::En) => {
                format!("{recorded} (recorded for a change of {changed})")
            }
            (Phrase::RecordedFor { recorded, changed }, Lang::Ja) => {
                format!("{recorded}（{changed} の変更について記録）")
            }
            (
                Phrase::NoLongerCurrent {
                    older,
                    newer,
                    status: now,
                },
                Lang::En,
            ) => format!(
                "{older} is now {now}: {newer} replaces it (published, in force); its status was set by this merge"
            ),
            (
                Phrase::NoLongerCurrent {
                    older,
                    newer,
                    status: now,
                },
                Lang::Ja,
            ) => format!(
                "{older} の状態を「{}」にしました: {newer}（公表済み、効力あり）が置き換えます",
                status(*now, lang)
            ),
            (Phrase::ChainBroken(problems), Lang::En) => format!("does not hold: {}", problems.join("; ")),
            (Phrase::ChainBroken(problems), Lang::Ja) => format!("整合しません: {}", problems.join("; ")),
            (Phrase::ChainHead { length, hash }, Lang::En) => {
                format!("sealed ({length} records, hash chain head {hash})")
            }
            (Phrase::ChainHead { length, hash }, Lang::Ja) => {
                format!("封印済み（記録 {length} 件、ハッシュチェーンの先頭 {hash}）")
            }
            (Phrase::ValidData { nodes, edges }, Lang::En) => format!("valid ({nodes} nodes, {edges} edges)"),
            (Phrase::ValidData { nodes, edges }, Lang::Ja) => {
                format!("正常（ノード {nodes} 件、関係 {edges} 件）")
            }
            (Phrase::Problems(n), Lang::En) => format!("{n} problem(s):"),
            (Phrase::Problems(n), Lang::Ja) => format!("問題 {n} 件:"),
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

/// An outcome's word.
pub fn outcome(outcome: regtrace_app::Outcome) -> Word {
    match outcome {
        regtrace_app::Outcome::Unchanged => Word::Unchanged,
        regtrace_app::Outcome::Revised => Word::Revised,
        regtrace_app::Outcome::Withdrawn => Word::WithdrawnOutcome,
    }
}

/// The word of a relation's impact (`to_source`, `to_target`, `none`), if it is one.
pub fn impact_word(word: &str) -> Option<Word> {
    Some(match word {
        "to_source" => Word::ImpactToSource,
        "to_target" => Word::ImpactToTarget,
        "none" => Word::ImpactNone,
        _ => return None,
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

/// A cited node in words, with the edition it is part of when it is a clause: `c14 (in ed3.1)`.
fn cited_in(cited: &str, within: Option<&str>, lang: Lang) -> String {
    match (within, lang) {
        (Some(edition), Lang::En) => format!("{cited} (in {edition})"),
        (Some(edition), Lang::Ja) => format!("{cited}（{edition} の一部）"),
        (None, _) => cited.to_owned(),
    }
}

/// What an audit finding says, in `lang`: ids, relation names and the data's own words as they
/// are, kinds, statuses and the sentence around them in the language.
pub fn finding(says: &regtrace_core::audit::Says, lang: Lang) -> String {
    use regtrace_core::audit::Says;
    let k = |k: NodeKind| kind(k, lang);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match (says, lang) {
        (
            Says::TooFewLinks {
                kind: of,
                count,
                via,
                to,
                min,
            },
            Lang::En,
        ) => {
            let names: Vec<String> = via
                .iter()
                .map(|(incoming, name)| format!("{}{name}", if *incoming { "incoming " } else { "" }))
                .collect();
            format!(
                "{of} has {count} {} link{} to {to} (needs {min})",
                names.join(" or "),
                plural(*count)
            )
        }
        (
            Says::TooFewLinks {
                kind: of,
                count,
                via,
                to,
                min,
            },
            Lang::Ja,
        ) => {
            let names: Vec<String> = via
                .iter()
                .map(|(incoming, name)| {
                    if *incoming {
                        format!("逆向きの {name}")
                    } else {
                        name.clone()
                    }
                })
                .collect();
            let to = if to.is_any() {
                "すべての種別".to_owned()
            } else {
                to.kinds().map(k).collect::<Vec<_>>().join("、")
            };
            format!(
                "{} から {to} への {} のつながりが {count} 件です（{min} 件必要）",
                k(*of),
                names.join(" または ")
            )
        }
        (
            Says::StaleReference {
                from,
                relation,
                cited,
                within,
                superseded_by,
            },
            Lang::En,
        ) => {
            let cited = cited_in(cited, within.as_deref(), lang);
            match superseded_by {
                Some(newer) => {
                    format!("{from} {relation} {cited}, which is superseded by the published {newer}")
                }
                None => format!("{from} {relation} {cited}, which is withdrawn"),
            }
        }
        (
            Says::StaleReference {
                from,
                relation,
                cited,
                within,
                superseded_by,
            },
            Lang::Ja,
        ) => {
            let cited = cited_in(cited, within.as_deref(), lang);
            match superseded_by {
                Some(newer) => format!(
                    "{from} は {cited} を {relation} で参照していますが、これは公表済みの {newer} に置き換えられています"
                ),
                None => format!("{from} は {cited} を {relation} で参照していますが、これは廃止されています"),
            }
        }
        (
            Says::AcceptedReference {
                from,
                relation,
                cited,
                within,
                acceptance: a,
            },
            Lang::En,
        ) => {
            let cited = cited_in(cited, within.as_deref(), lang);
            format!(
                "{from} {relation} {cited}: accepted by {} on {} (review #{}): {}",
                a.by, a.on, a.review, a.because
            )
        }
        (
            Says::AcceptedReference {
                from,
                relation,
                cited,
                within,
                acceptance: a,
            },
            Lang::Ja,
        ) => {
            let cited = cited_in(cited, within.as_deref(), lang);
            format!(
                "{from} は {cited} を {relation} で参照しています: {} が {} に受け入れ済み（レビュー #{}）: {}",
                a.by, a.on, a.review, a.because
            )
        }
        (
            Says::TargetStatus {
                status: at,
                kind: of,
                relation,
                target,
                target_status,
            },
            Lang::En,
        ) => format!(
            "the {} {of} {relation} {target}, which is only {target_status}",
            at.map_or("", |s| s.as_str())
        ),
        (
            Says::TargetStatus {
                status: at,
                kind: of,
                relation,
                target,
                target_status,
            },
            Lang::Ja,
        ) => format!(
            "{}の{}が {target} を {relation} で参照していますが、その状態は「{}」にとどまります",
            at.map_or("", |s| status(s, lang)),
            k(*of),
            status(*target_status, lang)
        ),
        (Says::OpenReview { kind: of, id, cause }, Lang::En) => {
            format!("{of} {id} has an open review: {cause}")
        }
        (Says::OpenReview { kind: of, id, cause }, Lang::Ja) => {
            format!("{} {id} に未完了のレビューがあります: {cause}", k(*of))
        }
        (
            Says::ChangedSinceReview {
                law,
                changed,
                node,
                reviewed,
                attribute,
            },
            Lang::En,
        ) => match reviewed {
            Some(r) => format!("{law} changed on {changed}; {node} has last reviewed {r}"),
            None => format!(
                "{law} changed on {changed}; {node} has no review date (`{attribute}` or `published`)"
            ),
        },
        (
            Says::ChangedSinceReview {
                law,
                changed,
                node,
                reviewed,
                attribute,
            },
            Lang::Ja,
        ) => match reviewed {
            Some(r) => format!("{law} は {changed} に変更されましたが、{node} の最後のレビューは {r} です"),
            None => format!(
                "{law} は {changed} に変更されましたが、{node} にはレビュー日（`{attribute}` または `published`）がありません"
            ),
        },
        (Says::Unconnected { kind: of, id }, Lang::En) => format!("{of} {id} has no relation at all"),
        (Says::Unconnected { kind: of, id }, Lang::Ja) => {
            format!("{} {id} にはつながりがひとつもありません", k(*of))
        }
        (Says::Marked { kind: of, id, why }, _) => format!("{} {id}: {why}", k(*of)),
        (Says::BothCurrent { from, relation, to }, Lang::En) => {
            format!("{from} {relation} {to}, but both are current")
        }
        (Says::BothCurrent { from, relation, to }, Lang::Ja) => {
            format!("{from} は {to} を {relation} していますが、どちらも現行です")
        }
        (
            Says::EmptyField {
                field,
                statuses,
                kind: of,
                total,
            },
            Lang::En,
        ) => {
            let wanted: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
            format!(
                "field {field} has no {} {of} ({total} {of}{} in all)",
                wanted.join(" or "),
                plural(*total)
            )
        }
        (
            Says::EmptyField {
                field,
                statuses,
                kind: of,
                total,
            },
            Lang::Ja,
        ) => {
            let wanted: Vec<&str> = statuses.iter().map(|s| status(*s, lang)).collect();
            format!(
                "分野 {field} には{}の{}がありません（全部で {total} 件）",
                wanted.join("または"),
                k(*of)
            )
        }
    }
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
