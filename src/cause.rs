//! Root-cause slugs: the shared vocabulary of the report, the CLI JSON and the corpus.

use serde::Serialize;

macro_rules! causes {
    ($($variant:ident => $slug:literal, $title:literal;)*) => {
        /// A root cause, named by its slug in the vocabulary.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Cause { $($variant,)* }

        impl Cause {
            pub const ALL: &'static [Cause] = &[$(Cause::$variant,)*];

            // Slugs and titles are picked from one literal each by the variant's position
            // (variants are declared without values, so in `ALL` order).
            pub fn slug(self) -> &'static str {
                crate::wording::nth(crate::wording::phrases![$($slug),*], self as usize)
            }

            /// A short human title for headlines.
            pub fn title(self) -> &'static str {
                crate::wording::nth(crate::wording::phrases![$($title),*], self as usize)
            }

            pub fn from_slug(s: &str) -> Option<Cause> {
                crate::wording::position(s, crate::wording::phrases![$($slug),*])
                    .and_then(|i| Cause::ALL.get(i).copied())
            }
        }
    };
}

causes! {
    OomKilled => "oom-killed", "out of memory (OOM-killed)";
    AppError => "app-error", "the application exited with an error";
    CommandNotFound => "command-not-found", "command not found";
    PermissionDenied => "permission-denied", "permission denied";
    ImagePull => "image-pull", "image cannot be pulled";
    DeadlineExceeded => "deadline-exceeded", "deadline exceeded";
    InitContainerFailed => "init-container-failed", "init container failed";
    ConfigErrorMissingRef => "config-error-missing-ref", "missing ConfigMap or Secret";
    Evicted => "evicted", "pod evicted";
    Unschedulable => "unschedulable", "pod cannot be scheduled";
    Crashloop => "crashloop", "container crash loop";
    PodFailurePolicy => "pod-failure-policy", "failed by podFailurePolicy";
    FailedIndexes => "failed-indexes", "indexes failed";
    ApiserverUnreachable => "apiserver-unreachable", "API server unreachable";
    HpaMissingCpuRequest => "hpa-missing-cpu-request", "HPA: container without a cpu request";
    KubeconfigInvalid => "kubeconfig-invalid", "kubeconfig invalid or missing";
    EtcdClusterIdMismatch => "etcd-cluster-id-mismatch", "etcd cluster ID mismatch";
    SwapEnabled => "swap-enabled", "swap is enabled";
    ManifestInvalid => "manifest-invalid", "invalid manifest";
    Unknown => "unknown", "cause not determined";
}

impl Serialize for Cause {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for c in Cause::ALL {
            assert_eq!(Cause::from_slug(c.slug()), Some(*c));
        }
        assert_eq!(Cause::ALL.len(), 20);
    }
}
