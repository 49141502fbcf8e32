use super::common::{distinct, finding, steps};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{Evidence, Finding};

crate::declare_rule! {
    /// ## What it does
    /// Finds kubeadm preflight or the kubelet refusing to run because swap is on: `[ERROR Swap]:
    /// running with swap on is not supported. Please disable swap`, `running with swap on is
    /// not supported, please disable swap! or set --fail-swap-on flag to false`.
    ///
    /// ## Why is this bad?
    /// `kubeadm init`/`join` stops at preflight and the kubelet does not start, so the node never
    /// joins. Newer releases only warn, but the kubelet still refuses swap unless configured for it.
    ///
    /// ## Evidence
    /// The `[ERROR Swap]` line (primary).
    ///
    /// ## Example
    /// ```text
    /// [ERROR Swap]: running with swap on is not supported. Please disable swap
    /// ```
    ///
    /// ## Use instead
    /// `sudo swapoff -a` and remove the swap entry from `/etc/fstab` so it stays off after a
    /// reboot; or configure the kubelet for swap (`failSwapOn: false` with
    /// `memorySwap.swapBehavior`) on cgroup v2.
    ///
    /// ## Fix safety
    /// No change is proposed: the commands run on the node.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/#swap-configuration
    /// - https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory
    pub static META = {
        code: "PM022",
        name: "kubeadm-swap-enabled",
        cause: Cause::SwapEnabled,
        needs: &[Need::ClusterOutput],
    }
}

pub struct KubeadmSwapEnabled;

impl Rule for KubeadmSwapEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context) -> Vec<Finding> {
        let sigs = distinct(ctx, SignalKind::SwapOn);
        let Some(first) = sigs.first() else {
            return Vec::new();
        };
        let mut evidence = vec![Evidence::primary(first.line, "swap is on")];
        for s in sigs.iter().skip(1).take(2) {
            evidence.push(Evidence::context(s.line, "swap check"));
        }
        vec![finding(
            &META,
            95,
            "the node has swap enabled, so kubeadm preflight (or the kubelet) refuses to run".into(),
            "turn swap off with `sudo swapoff -a` and remove the swap entry from `/etc/fstab` so it stays off after a reboot, then run kubeadm again; \
             `--ignore-preflight-errors=Swap` only skips the check, the kubelet still refuses swap unless `failSwapOn: false` is set".into(),
            evidence,
            steps([
                Some("swapon --show".into()),
                Some("sudo swapoff -a".into()),
                Some("grep swap /etc/fstab".into()),
            ]),
            vec!["kubeadm".into(), "preflight".into(), "Swap".into()],
        )]
    }
}
