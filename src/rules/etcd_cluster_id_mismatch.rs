use super::common::{distinct, finding, span_text, strings, value_after};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{EvidenceList, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Finds etcd members that reject each other's raft traffic because they belong to
    /// different clusters: `request cluster ID mismatch`, `streaming request ignored (cluster
    /// ID mismatch got X want Y)`, `request sent was ignored by remote peer due to cluster ID
    /// mismatch`.
    ///
    /// ## Why is this bad?
    /// Each cluster's ID comes from its initial configuration and `--initial-cluster-token`.
    /// A member bootstrapped separately, or restarted with a stale data directory, talks to
    /// peers of another cluster: its messages are dropped, it keeps calling elections (`became
    /// candidate at term N`) and quorum is lost.
    ///
    /// ## Evidence
    /// The `cluster ID mismatch` line (primary) with both IDs, and the repeated elections.
    ///
    /// ## Example
    /// ```text
    /// rafthttp: streaming request ignored (cluster ID mismatch got 9b09b40f488fe304 want ac5f3aa02066b598)
    /// ```
    ///
    /// ## Use instead
    /// Find the member with the wrong cluster ID (`etcdctl member list`, `endpoint status`),
    /// stop it, remove its stale data directory and add it back with `etcdctl member add` and
    /// `--initial-cluster-state=existing`; keep peer URLs of separate clusters disjoint.
    ///
    /// ## Fix safety
    /// No change is proposed: wiping a member's data directory loses its copy of the data.
    ///
    /// ## References
    /// - https://etcd.io/docs/v3.5/faq/
    /// - https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/
    pub static META = {
        code: "PM021",
        name: "etcd-cluster-id-mismatch",
        cause: Cause::EtcdClusterIdMismatch,
        needs: &[Need::ClusterOutput, Need::Logs],
    }
}

pub struct EtcdClusterIdMismatch;

impl Rule for EtcdClusterIdMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs = distinct(ctx, SignalKind::EtcdClusterIdMismatch);
        let Some(first) = sigs.first() else {
            return Vec::new();
        };
        let line = span_text(ctx, &first.line);
        let got = value_after(line, "got ")
            .or_else(|| value_after(line, "\"remote-peer-cluster-id\":\""));
        let want = value_after(line, "want ")
            .or_else(|| value_after(line, "\"local-member-cluster-id\":\""));
        let mut evidence = Vec::new();
        evidence.primary(&first.line, "peers belong to different clusters");
        for s in sigs.iter().skip(1).take(2) {
            evidence.context(&s.line, "the same mismatch");
        }
        for s in distinct(ctx, SignalKind::EtcdElection).into_iter().take(2) {
            evidence.context(&s.line, "the member keeps starting elections it cannot win");
        }
        let ids = match (got, want) {
            (Some(g), Some(w)) => {
                format!(" (a peer sent cluster ID `{g}`, this member expects `{w}`)")
            }
            _ => String::new(),
        };
        vec![finding(
            &META,
            93,
            format!("etcd members disagree on the cluster ID{ids}"),
            "the members were bootstrapped as different clusters, or one restarted with a stale data directory. \
             find the odd member, stop it, clear its data directory and re-add it with `etcdctl member add` and `--initial-cluster-state=existing`; \
             restarting it unchanged does not help".into(),
            evidence,
            strings(&[
                "etcdctl member list -w table",
                "etcdctl endpoint status --cluster -w table",
            ]),
            strings(&["etcd", "rafthttp", "cluster ID mismatch"]),
        )]
    }
}
