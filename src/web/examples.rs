//! Built-in examples, written for the project (not copied from any real paste). Each names the
//! cause the engine must find in it; `every_example_is_diagnosed` holds the engine to that.

use crate::cause::Cause;

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    /// The primary cause the diagnosis must name.
    pub expected_cause: Cause,
}

/// The first example is the one the "Try the OOM example" button loads. One or more per cause
/// class the engine diagnoses; each new rule should bring its example.
pub static EXAMPLES: &[Example] = &[
    Example {
        id: "oom",
        title: "Job pod OOM-killed (describe pod + Job YAML)",
        text: include_str!("examples/oom-describe-and-job.txt"),
        expected_cause: Cause::OomKilled,
    },
    Example {
        id: "oom-get-pods",
        title: "CronJob run OOM-killed (get pods + events)",
        text: include_str!("examples/oom-get-pods-and-events.txt"),
        expected_cause: Cause::OomKilled,
    },
    Example {
        id: "oom-kernel",
        title: "Memory cgroup OOM in the node's kernel log (logs + journalctl)",
        text: include_str!("examples/oom-kernel-log.txt"),
        expected_cause: Cause::OomKilled,
    },
    Example {
        id: "image-pull",
        title: "Image cannot be pulled (describe pod: ImagePullBackOff)",
        text: include_str!("examples/image-pull.txt"),
        expected_cause: Cause::ImagePull,
    },
    Example {
        id: "command-not-found",
        title: "Command not found in the image (describe pod: StartError)",
        text: include_str!("examples/command-not-found.txt"),
        expected_cause: Cause::CommandNotFound,
    },
    Example {
        id: "permission-denied",
        title: "Script not executable (describe pod + logs: exit 126)",
        text: include_str!("examples/permission-denied.txt"),
        expected_cause: Cause::PermissionDenied,
    },
    Example {
        id: "app-error",
        title: "Application error (describe pod + Python traceback)",
        text: include_str!("examples/app-error-traceback.txt"),
        expected_cause: Cause::AppError,
    },
    Example {
        id: "missing-secret",
        title: "Missing Secret (describe pod: CreateContainerConfigError)",
        text: include_str!("examples/config-missing-secret.txt"),
        expected_cause: Cause::ConfigErrorMissingRef,
    },
    Example {
        id: "deadline",
        title: "Job deadline exceeded (describe job)",
        text: include_str!("examples/deadline-exceeded.txt"),
        expected_cause: Cause::DeadlineExceeded,
    },
    Example {
        id: "unschedulable",
        title: "Pod cannot be scheduled (events: FailedScheduling)",
        text: include_str!("examples/unschedulable-events.txt"),
        expected_cause: Cause::Unschedulable,
    },
    Example {
        id: "evicted",
        title: "Pod evicted for ephemeral storage (describe pod)",
        text: include_str!("examples/evicted-ephemeral-storage.txt"),
        expected_cause: Cause::Evicted,
    },
    Example {
        id: "init-container",
        title: "Init container keeps failing (describe pod)",
        text: include_str!("examples/init-container-failed.txt"),
        expected_cause: Cause::InitContainerFailed,
    },
    Example {
        id: "crashloop",
        title: "Crash loop with exit code 0 (describe pod)",
        text: include_str!("examples/crashloop-exit-zero.txt"),
        expected_cause: Cause::Crashloop,
    },
    Example {
        id: "pod-failure-policy",
        title: "Job failed by its podFailurePolicy (describe job)",
        text: include_str!("examples/pod-failure-policy.txt"),
        expected_cause: Cause::PodFailurePolicy,
    },
    Example {
        id: "failed-indexes",
        title: "Indexed Job with failed indexes (describe job)",
        text: include_str!("examples/failed-indexes.txt"),
        expected_cause: Cause::FailedIndexes,
    },
    Example {
        id: "restart-policy",
        title: "Invalid Job manifest (restartPolicy: Always)",
        text: include_str!("examples/job-restart-policy-always.yaml"),
        expected_cause: Cause::ManifestInvalid,
    },
    Example {
        id: "hpa",
        title: "HPA without a cpu request (describe hpa)",
        text: include_str!("examples/hpa-missing-cpu-request.txt"),
        expected_cause: Cause::HpaMissingCpuRequest,
    },
    Example {
        id: "apiserver",
        title: "API server refuses connections (kubectl error)",
        text: include_str!("examples/apiserver-refused.txt"),
        expected_cause: Cause::ApiserverUnreachable,
    },
    Example {
        id: "kubeconfig",
        title: "Broken kubeconfig (kubectl error)",
        text: include_str!("examples/kubeconfig-invalid.txt"),
        expected_cause: Cause::KubeconfigInvalid,
    },
    Example {
        id: "etcd",
        title: "etcd cluster ID mismatch (etcd journal)",
        text: include_str!("examples/etcd-cluster-id-mismatch.txt"),
        expected_cause: Cause::EtcdClusterIdMismatch,
    },
    Example {
        id: "swap",
        title: "kubeadm preflight: swap enabled",
        text: include_str!("examples/kubeadm-swap.txt"),
        expected_cause: Cause::SwapEnabled,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diagnose, Input};

    #[test]
    fn every_example_is_diagnosed() {
        for e in EXAMPLES {
            let r = diagnose(&[Input::new(e.id, e.text)]);
            assert!(!r.findings.is_empty(), "example {} finds nothing", e.id);
            assert_eq!(
                r.primary_cause, e.expected_cause,
                "example {}: {}",
                e.id, r.summary
            );
        }
        let oom = diagnose(&[Input::new("oom", EXAMPLES[0].text)]);
        assert!(oom.corrected_manifest.is_some());
    }

    #[test]
    fn examples_cover_every_diagnosed_cause() {
        for rule in crate::rules::ALL {
            let cause = rule.meta().cause;
            if cause == Cause::Unknown {
                continue;
            }
            assert!(
                EXAMPLES.iter().any(|e| e.expected_cause == cause),
                "no example for {}",
                cause.slug()
            );
        }
    }

    #[test]
    fn example_ids_are_unique() {
        for (i, e) in EXAMPLES.iter().enumerate() {
            assert!(EXAMPLES[..i].iter().all(|o| o.id != e.id), "{}", e.id);
        }
    }
}
