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
    /// What could not be read.
    pub notes: Vec<ParseNote>,
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
    pub span: Span,
    pub kind: LogSignalKind,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommandLine {
    pub span: Span,
    /// The words after `kubectl`.
    pub words: Vec<String>,
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseNote {
    pub span: Span,
    pub message: String,
}
