use super::common::{distinct, finding, span_text, strings};
use super::{Context, Need, Rule, RuleMeta};
use crate::cause::Cause;
use crate::facts::SignalKind;
use crate::findings::{EvidenceList, Finding};
use crate::span::Span;
use crate::wording::{any_in, phrases};

crate::declare_rule! {
    /// ## What it does
    /// Finds kubeadm preflight or the kubelet refusing to run because swap is on: `[ERROR Swap]:
    /// running with swap on is not supported. Please disable swap`, `running with swap on is
    /// not supported, please disable swap! or set --fail-swap-on flag to false`; or kubeadm's
    /// `[WARNING Swap]` when the kubelet it started then never became healthy.
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
        // Only a refusal stops kubeadm or the kubelet; a `[WARNING Swap]` beside another
        // preflight error is not the cause.
        // A `[WARNING Swap]` counts when the kubelet then never came up (kubeadm 1.22+ only
        // warns, and the kubelet with the default `failSwapOn: true` refuses to run).
        let refusal = sigs.iter().find(|s| is_refusal(span_text(ctx, &s.line)));
        let warning = || {
            sigs.first()
                .filter(|_| kubelet_never_came_up(ctx) && !other_preflight_error(ctx))
        };
        let refused = refusal.is_some();
        let Some(first) = refusal.or_else(warning) else {
            return Vec::new();
        };
        let mut evidence = Vec::new();
        evidence.primary(
            &first.line,
            if refused {
                "swap is on"
            } else {
                "swap is on, and the kubelet kubeadm started never became healthy"
            },
        );
        if let Some(head) = wrapped_head(ctx, first.line) {
            evidence.context(&head, "the start of the same message");
        }
        for s in sigs.iter().skip(1).take(2) {
            evidence.context(&s.line, "swap check");
        }
        let mut f = finding(
            &META,
            if refused { 95 } else { 75 },
            "the node has swap enabled, so kubeadm preflight (or the kubelet) refuses to run".into(),
            "turn swap off with `sudo swapoff -a` and remove the swap entry from `/etc/fstab` so it stays off after a reboot, then run kubeadm again; \
             `--ignore-preflight-errors=Swap` only skips the check, the kubelet still refuses swap unless `failSwapOn: false` is set".into(),
            evidence,
            strings(&["swapon --show", "sudo swapoff -a", "grep swap /etc/fstab"]),
            strings(&["kubeadm", "preflight", "Swap"]),
        );
        // Both choices as snippets: disable swap, or keep it with a KubeletConfiguration.
        f.fix = Some(crate::fix::advice::swap(
            super::common::Target::from_ctx(ctx).node.as_deref(),
        ));
        vec![f]
    }
}

/// The line before `line` when a terminal wrapped the kubelet's message mid-word, so that
/// `line` starts inside it (`pported, please disable swap!`).
fn wrapped_head(ctx: &Context, line: Span) -> Option<Span> {
    let text = &ctx.inputs.get(line.input)?.text;
    let tail = text.get(line.start..line.end)?;
    if !tail.starts_with(|c: char| c.is_ascii_lowercase()) {
        return None;
    }
    let (start, head) = crate::span::line_before(text, line.start)?;
    head.to_ascii_lowercase()
        .contains("swap")
        .then(|| Span::new(line.input, start, start + head.len()))
}

/// `[ERROR Swap]` (kubeadm) or the kubelet's `running with swap on is not supported`.
fn is_refusal(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    any_in(
        &l,
        phrases![
            "[error swap]",
            "running with swap on is not supported",
            "please disable swap",
        ],
    )
}

/// kubeadm's wording when the kubelet it started never answered.
fn kubelet_never_came_up(ctx: &Context) -> bool {
    ctx.inputs.iter().any(|i| {
        let l = i.text.to_ascii_lowercase();
        any_in(
            &l,
            phrases![
                "the kubelet is not running",
                "the kubelet isn't running or healthy",
                "[kubelet-check] initial timeout",
                "localhost:10248/healthz",
            ],
        )
    })
}

/// A preflight `[ERROR …]` other than swap: that one is what stopped kubeadm.
fn other_preflight_error(ctx: &Context) -> bool {
    ctx.inputs.iter().any(|i| {
        i.text
            .match_indices("[ERROR ")
            .any(|(at, _)| !i.text[at..].starts_with("[ERROR Swap]"))
    })
}
