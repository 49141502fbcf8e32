//! The typed model the rules read. Every field that came from a paste carries its span.

use crate::parse::quantity::Quantity;
use crate::parse::yaml::Node;
use crate::span::{Span, Spanned};
use serde::Serialize;

pub type S = Spanned<String>;

/// Everything read from all inputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    pub pods: Vec<Pod>,
    pub jobs: Vec<Job>,
    /// Events from `Events:` tables, `kubectl get events` and event objects.
    pub events: Vec<Event>,
    pub manifests: Vec<Manifest>,
    pub log_signals: Vec<LogSignal>,
    /// `kubectl …` command lines found in the pastes (they name objects and namespaces).
    pub commands: Vec<CommandLine>,
    /// Rows of `kubectl get` tables (pods, jobs, hpa, …), every cell spanned.
    pub table_rows: Vec<TableRow>,
    /// kubectl / client-go errors: refused connections, bad kubeconfig, API rejections.
    pub client_errors: Vec<ClientError>,
    /// kubeadm preflight `[ERROR …]` / `[WARNING …]` lines.
    pub kubeadm_checks: Vec<KubeadmCheck>,
    /// etcd `cluster ID mismatch` lines (text and JSON logs).
    pub etcd_mismatches: Vec<EtcdMismatch>,
    /// HPA metric errors from events or controller logs.
    pub hpa_metric_errors: Vec<HpaMetricError>,
    /// `kubectl describe hpa` objects and HorizontalPodAutoscaler manifests.
    pub hpas: Vec<Hpa>,
    /// kubeconfig files (`kind: Config`).
    pub kubeconfigs: Vec<KubeConfig>,
    /// What could not be read.
    pub notes: Vec<ParseNote>,
    /// Lines that name a failure class by their wording, wherever they are (`parse::signals`).
    pub signals: Vec<Signal>,
    /// Rows of `kubectl get pods` tables.
    pub pod_rows: Vec<PodRow>,
}

impl Facts {
    /// The namespace named anywhere in the paste (pod, job, command line), if any.
    pub fn namespace(&self) -> Option<&str> {
        self.pods
            .iter()
            .filter_map(|p| p.namespace.as_ref())
            .chain(self.jobs.iter().filter_map(|j| j.namespace.as_ref()))
            .map(|s| s.as_str())
            .chain(self.commands.iter().filter_map(|c| c.namespace.as_deref()))
            .chain(
                self.manifests
                    .iter()
                    .filter_map(|m| m.namespace.as_ref().map(|s| s.as_str())),
            )
            .find(|s| !s.is_empty())
    }

    /// Every event read anywhere: event tables and objects, and the `Events:` of described
    /// pods, jobs and HPAs (which are kept on their object, not in [`Facts::events`]).
    pub fn all_events(&self) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .chain(self.pods.iter().flat_map(|p| p.events.iter()))
            .chain(self.jobs.iter().flat_map(|j| j.events.iter()))
            .chain(self.hpas.iter().flat_map(|h| h.events.iter()))
    }

    /// The `Events:` of described pods, then the events read on their own.
    pub fn pod_events(&self) -> Vec<&Event> {
        let mut out = Vec::new();
        for p in &self.pods {
            out.extend(&p.events);
        }
        out.extend(&self.events);
        out
    }

    /// The Job this paste is about, by name: a described Job, a pod's controller, a manifest.
    pub fn job_name(&self) -> Option<&str> {
        self.jobs
            .iter()
            .filter_map(|j| j.name.as_ref().map(|s| s.as_str()))
            .chain(self.pods.iter().filter_map(|p| p.job_name()))
            .chain(
                self.manifests
                    .iter()
                    .filter(|m| m.kind.as_ref().is_some_and(|k| k.value == "Job"))
                    .filter_map(|m| m.name.as_ref().map(|s| s.as_str())),
            )
            .find(|s| !s.is_empty())
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Pod {
    pub span: Span,
    pub name: Option<S>,
    pub namespace: Option<S>,
    pub node: Option<S>,
    /// The phase printed as `Status:`.
    pub status: Option<S>,
    pub reason: Option<S>,
    pub message: Option<S>,
    pub controlled_by: Option<S>,
    pub labels: Vec<S>,
    pub qos_class: Option<S>,
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    pub conditions: Vec<(S, S)>,
    pub events: Vec<Event>,
    /// `spec.restartPolicy` when the pod came from YAML/JSON.
    pub restart_policy: Option<S>,
}

impl Pod {
    /// The owning Job's name from `Controlled By: Job/<name>` or a `job-name=` label.
    pub fn job_name(&self) -> Option<&str> {
        if let Some(c) = &self.controlled_by {
            if let Some(name) = c.value.strip_prefix("Job/") {
                return Some(name);
            }
        }
        self.labels.iter().find_map(|l| {
            l.value
                .strip_prefix("job-name=")
                .or_else(|| l.value.strip_prefix("batch.kubernetes.io/job-name="))
        })
    }

    pub fn all_containers(&self) -> impl Iterator<Item = &Container> {
        self.init_containers.iter().chain(self.containers.iter())
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Container {
    pub span: Span,
    pub name: S,
    pub init: bool,
    pub image: Option<S>,
    pub command: Vec<S>,
    pub args: Vec<S>,
    pub state: Option<ContainerState>,
    pub last_state: Option<ContainerState>,
    pub ready: Option<S>,
    pub restart_count: Option<Spanned<u32>>,
    pub limits: Vec<Resource>,
    pub requests: Vec<Resource>,
    /// `Environment:` entries that reference a ConfigMap or Secret, and `Environment Variables from:`.
    pub env_refs: Vec<EnvRef>,
}

impl Container {
    pub fn limit(&self, resource: &str) -> Option<&Resource> {
        self.limits.iter().find(|r| r.name.value == resource)
    }
    pub fn request(&self, resource: &str) -> Option<&Resource> {
        self.requests.iter().find(|r| r.name.value == resource)
    }
    /// Both states, newest first.
    pub fn states(&self) -> impl Iterator<Item = &ContainerState> {
        self.state.iter().chain(self.last_state.iter())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub name: S,
    pub value: S,
    /// The parsed quantity, when it parses.
    pub quantity: Option<Quantity>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvRef {
    pub span: Span,
    /// `configmap` or `secret`.
    pub kind: String,
    pub name: String,
    pub key: Option<String>,
    pub optional: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ContainerState {
    pub span: Span,
    /// `Running`, `Waiting` or `Terminated`.
    pub kind: S,
    pub reason: Option<S>,
    pub message: Option<S>,
    pub exit_code: Option<Spanned<i32>>,
    pub signal: Option<Spanned<i32>>,
    pub started: Option<S>,
    pub finished: Option<S>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Job {
    pub span: Span,
    pub name: Option<S>,
    pub namespace: Option<S>,
    pub controlled_by: Option<S>,
    pub parallelism: Option<S>,
    pub completions: Option<S>,
    pub completion_mode: Option<S>,
    pub backoff_limit: Option<Spanned<u32>>,
    pub active_deadline_seconds: Option<Spanned<u64>>,
    pub start_time: Option<S>,
    /// `Pods Statuses:` as (active, succeeded, failed).
    pub pods_statuses: Option<Spanned<(u32, u32, u32)>>,
    /// The `Pod Template:` containers (no state).
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub events: Vec<Event>,
    /// `Suspend:` (kubectl ≥ 1.21) or `spec.suspend`.
    pub suspend: Option<S>,
    /// `spec.backoffLimitPerIndex` / `Backoff Limit Per Index:`.
    pub backoff_limit_per_index: Option<Spanned<u32>>,
    /// `status.failedIndexes` / `Failed Indexes:` (e.g. `0,2-3`).
    pub failed_indexes: Option<S>,
    /// `status.conditions` (from YAML/JSON) or condition-like facts.
    pub conditions: Vec<JobCondition>,
    /// `spec.template.spec.restartPolicy` when the job came from YAML/JSON.
    pub restart_policy: Option<S>,
    /// `Schedule:` of a described CronJob.
    pub schedule: Option<S>,
}

/// One entry of a Job's `status.conditions`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct JobCondition {
    pub span: Span,
    pub type_: S,
    pub status: Option<S>,
    pub reason: Option<S>,
    pub message: Option<S>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Event {
    pub span: Span,
    pub type_: Option<S>,
    pub reason: S,
    pub age: Option<S>,
    pub from: Option<S>,
    pub object: Option<S>,
    pub message: S,
    /// `(xN over M)` count, 1 when absent.
    pub count: u32,
    /// The container the event is about: the old `SubObjectPath` column or the 1.35+ message
    /// prefix `spec.containers{x}: ` (then stripped from `message`).
    pub field_path: Option<S>,
}

/// A YAML or JSON document from a paste, kept as a span-aware tree.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// The document.
    pub span: Span,
    /// The whole YAML/JSON piece of the paste the document is in (a fix edits this text).
    pub segment: Span,
    /// Index of the document inside its piece.
    pub document: usize,
    pub kind: Option<S>,
    pub api_version: Option<S>,
    pub name: Option<S>,
    pub namespace: Option<S>,
    #[serde(skip)]
    pub root: Node,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogSignalKind {
    OutOfMemory,
    Killed,
    CommandNotFound,
    PermissionDenied,
    Error,
    Fatal,
    Panic,
    StackTrace,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogSignal {
    /// The line, or for a stack trace every line of it.
    pub span: Span,
    pub kind: LogSignalKind,
    /// The line without runtime prefix; for a stack trace its lines joined by `\n` (capped).
    pub text: String,
}

/// A row of a `kubectl get` table. `columns` are the header words, `cells` the row's values
/// in the same order (a missing trailing cell is absent).
#[derive(Debug, Clone, Default, Serialize)]
pub struct TableRow {
    pub span: Span,
    /// `pods`, `jobs`, `hpa`, `nodes`, `cronjobs`, `events` or `other`, guessed from the header.
    pub table: String,
    pub columns: Vec<String>,
    pub cells: Vec<S>,
}

impl TableRow {
    /// The cell under the header word `column` (case-insensitive).
    pub fn get(&self, column: &str) -> Option<&S> {
        let i = self
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(column))?;
        self.cells.get(i)
    }

    /// For a pods table: the restart count in `RESTARTS` (`5` or `5 (3m ago)`).
    pub fn restarts(&self) -> Option<u32> {
        self.get("RESTARTS")?
            .value
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientErrorKind {
    /// `The connection to the server … was refused`, `dial tcp …: connect: connection refused`.
    ConnectionRefused,
    /// `couldn't get current server API group list` (memcache.go discovery lines).
    Discovery,
    /// `http2: server sent GOAWAY`, `http2: client connection lost`, `unexpected EOF`.
    Http2,
    /// `i/o timeout`, `TLS handshake timeout`, `no route to host`, `no such host`.
    Network,
    /// `error: invalid configuration: …`, `no configuration has been provided`.
    InvalidConfiguration,
    /// `error loading config file "…": …`.
    ConfigLoad,
    /// `Unauthorized`, `x509: certificate …`, `Forbidden`.
    Auth,
    /// `… is invalid: <field path>: …` (the API server rejected an object).
    Invalid,
}

/// An error printed by kubectl or another client.
#[derive(Debug, Clone, Serialize)]
pub struct ClientError {
    pub span: Span,
    pub kind: ClientErrorKind,
    /// Host (or URL host) of the API server, when named.
    pub server: Option<S>,
    pub port: Option<Spanned<u16>>,
    /// The config file for `ConfigLoad`, the field path for `Invalid`.
    pub subject: Option<S>,
    /// The error text (the line, trimmed).
    pub message: S,
}

/// A kubeadm preflight check line: `[ERROR Swap]: running with swap on is not supported`.
#[derive(Debug, Clone, Serialize)]
pub struct KubeadmCheck {
    pub span: Span,
    /// `ERROR` or `WARNING`.
    pub level: S,
    /// The check name (`Swap`, `NumCPU`, `Port-6443`, `FileContent--proc-sys-net-ipv4-ip_forward`).
    pub check: S,
    /// The message, with hard-wrap gaps removed.
    pub message: S,
}

/// etcd: `cluster ID mismatch` (`got X want Y`, or JSON `local-member-cluster-id` / `remote-peer-cluster-id`).
#[derive(Debug, Clone, Serialize)]
pub struct EtcdMismatch {
    pub span: Span,
    pub got: Option<S>,
    pub want: Option<S>,
    /// How many identical lines followed (the first is kept, the rest counted).
    pub repeats: u32,
}

/// An HPA that cannot compute a metric: `missing request for cpu in container X of Pod Y`,
/// `no metrics returned from resource metrics API`, `unable to get metrics`.
#[derive(Debug, Clone, Serialize)]
pub struct HpaMetricError {
    pub span: Span,
    /// The event reason (`FailedGetResourceMetric`, `FailedComputeMetricsReplicas`) when from an event.
    pub reason: Option<S>,
    /// `cpu` / `memory` (lower-cased).
    pub resource: Option<S>,
    /// Set for `missing request`.
    pub missing_request: bool,
    pub container: Option<S>,
    pub pod: Option<S>,
    pub message: S,
}

/// `kubectl describe hpa` or a HorizontalPodAutoscaler manifest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Hpa {
    pub span: Span,
    pub name: Option<S>,
    pub namespace: Option<S>,
    /// `Deployment/web`.
    pub reference: Option<S>,
    /// Metric lines (`resource cpu on pods  (as a percentage of request):  <unknown> / 50%`).
    pub metrics: Vec<S>,
    pub min_replicas: Option<S>,
    pub max_replicas: Option<S>,
    pub events: Vec<Event>,
}

/// A kubeconfig (`kind: Config`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct KubeConfig {
    pub span: Span,
    pub current_context: Option<S>,
    pub contexts: Vec<KubeContext>,
    pub clusters: Vec<KubeCluster>,
    pub users: Vec<S>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct KubeContext {
    pub name: S,
    pub cluster: Option<S>,
    pub user: Option<S>,
    pub namespace: Option<S>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct KubeCluster {
    pub name: S,
    pub server: Option<S>,
    /// `certificate-authority-data` present (its value is never copied).
    pub has_ca_data: bool,
    pub insecure_skip_tls_verify: Option<S>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommandLine {
    pub span: Span,
    /// The words after `kubectl`.
    pub words: Vec<String>,
    pub namespace: Option<String>,
    /// `get`, `describe`, `logs`, …
    pub verb: Option<String>,
    /// The object named: `job/pi`, `pod/x`, `pods` (type only), `x` (name only, e.g. `logs x`).
    pub object: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseNote {
    pub span: Span,
    pub message: String,
}

/// A failure class named by the wording of one line (see `parse::signals`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignalKind {
    ServerRefused,
    ServerUnreachable,
    KubeconfigError,
    EtcdClusterIdMismatch,
    EtcdElection,
    SwapOn,
    HpaMissingRequest,
    HpaMetricsUnavailable,
    ImagePull,
    ConfigRefMissing,
    Deadline,
    PodFailurePolicy,
    FailedIndexes,
    Evicted,
    Scheduling,
    BackoffLimit,
    CrashLoop,
    TerminatedWithError,
    NodeOom,
    ExecNotFound,
    PermissionDenied,
    StartError,
    ServiceFailed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Signal {
    pub kind: SignalKind,
    /// The whole line, trimmed.
    pub line: Span,
    /// The phrase that matched.
    pub at: Span,
    /// The line sits inside a YAML/JSON block.
    pub in_manifest: bool,
}

/// One row of a `kubectl get pods` table.
#[derive(Debug, Clone, Serialize)]
pub struct PodRow {
    /// The whole row, trimmed.
    pub line: Span,
    pub namespace: Option<S>,
    pub name: S,
    pub ready: S,
    pub status: S,
    pub restarts: Option<Spanned<u32>>,
}
