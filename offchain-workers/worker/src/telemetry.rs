//! What the worker tells its operator while it runs: Prometheus metrics (tasks, latency,
//! failures) on `/metrics`, and a small JSON-RPC status API (health, current tasks, models).
//!
//! Both read one shared [`Status`], which the task loop updates.

use std::{
	collections::BTreeMap,
	net::SocketAddr,
	sync::{Arc, RwLock},
};

use jsonrpsee::{
	server::{Server, ServerHandle},
	RpcModule,
};
use prometheus_client::{
	encoding::{text::encode, EncodeLabelSet},
	metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
	registry::Registry,
};
use serde::Serialize;
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpListener,
};

/// Labels of the task counter: how a task ended for this worker.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
	/// `diagnosed`, `input_hash_mismatch`, `input_unreadable`, `input_unreachable`,
	/// `model_unavailable`.
	pub outcome: String,
}

/// Labels of the failure counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FailureLabel {
	/// `commit`, `reveal`, `heartbeat`, `chain`, `store`, `inference`.
	pub stage: String,
}

/// The worker's metrics.
pub struct Metrics {
	registry: Registry,
	/// Tasks computed, by outcome.
	pub tasks: Family<OutcomeLabel, Counter>,
	/// Seconds from fetching the input to having the diagnosis.
	pub inference_seconds: Histogram,
	/// Commitments that landed on chain.
	pub commits: Counter,
	/// Reveals that landed on chain.
	pub reveals: Counter,
	/// Heartbeats that landed on chain.
	pub heartbeats: Counter,
	/// Failures, by stage (the worker retries; a growing count needs attention).
	pub failures: Family<FailureLabel, Counter>,
	/// Tasks the worker is working on.
	pub open_tasks: Gauge,
	/// The last finalized block seen.
	pub finalized_block: Gauge,
}

impl Metrics {
	/// Registers every metric under the `btt_worker` prefix.
	pub fn new() -> Self {
		let mut registry = Registry::with_prefix("btt_worker");
		let tasks = Family::<OutcomeLabel, Counter>::default();
		let inference_seconds = Histogram::new(
			prometheus_client::metrics::histogram::exponential_buckets(0.01, 2.0, 12),
		);
		let (commits, reveals, heartbeats) =
			(Counter::default(), Counter::default(), Counter::default());
		let failures = Family::<FailureLabel, Counter>::default();
		let (open_tasks, finalized_block) = (Gauge::default(), Gauge::default());
		registry.register("tasks", "Tasks computed, by outcome", tasks.clone());
		registry.register(
			"inference_seconds",
			"Fetch-to-diagnosis latency",
			inference_seconds.clone(),
		);
		registry.register("commits", "Commitments included on chain", commits.clone());
		registry.register("reveals", "Reveals included on chain", reveals.clone());
		registry.register("heartbeats", "Heartbeats included on chain", heartbeats.clone());
		registry.register("failures", "Failures by stage", failures.clone());
		registry.register("open_tasks", "Tasks in progress", open_tasks.clone());
		registry.register("finalized_block", "Last finalized block seen", finalized_block.clone());
		Self {
			registry,
			tasks,
			inference_seconds,
			commits,
			reveals,
			heartbeats,
			failures,
			open_tasks,
			finalized_block,
		}
	}

	/// Counts a failure at `stage`.
	pub fn fail(&self, stage: &str) {
		self.failures.get_or_create(&FailureLabel { stage: stage.to_string() }).inc();
	}

	/// The text exposition format.
	pub fn render(&self) -> String {
		let mut text = String::new();
		if encode(&mut text, &self.registry).is_err() {
			text.clear();
		}
		text
	}
}

impl Default for Metrics {
	fn default() -> Self {
		Self::new()
	}
}

/// Serves `/metrics` over plain HTTP/1.1 on `listen` until the process ends.
pub async fn serve_metrics(
	listen: SocketAddr,
	metrics: Arc<Metrics>,
) -> std::io::Result<SocketAddr> {
	let listener = TcpListener::bind(listen).await?;
	let address = listener.local_addr()?;
	tokio::spawn(async move {
		while let Ok((mut socket, _)) = listener.accept().await {
			let metrics = metrics.clone();
			tokio::spawn(async move {
				let mut request = [0u8; 1024];
				let read = socket.read(&mut request).await.unwrap_or(0);
				let head = String::from_utf8_lossy(request.get(..read).unwrap_or_default());
				let (status, body) = if head.starts_with("GET /metrics") {
					("200 OK", metrics.render())
				} else {
					("404 Not Found", "try /metrics\n".to_string())
				};
				let response = format!(
					"HTTP/1.1 {status}\r\ncontent-type: text/plain; version=0.0.4\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
					body.len()
				);
				let _ = socket.write_all(response.as_bytes()).await;
			});
		}
	});
	Ok(address)
}

/// A task as the status API shows it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TaskView {
	/// Task id.
	pub task: u64,
	/// Progress (`Computed`, `CommitSent`, `Committed`, `RevealSent`, `Revealed`).
	pub stage: String,
	/// `diagnosed` or the fault reported.
	pub outcome: String,
}

/// The shared state behind the status API.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Status {
	/// The node key (SS58).
	pub node: String,
	/// Whether the node is registered on chain.
	pub registered: bool,
	/// The last finalized block seen.
	pub finalized_block: u64,
	/// Whether the chain connection is up.
	pub connected: bool,
	/// Loaded models: id (hex) → name.
	pub models: BTreeMap<String, String>,
	/// Tasks in progress.
	pub tasks: BTreeMap<u64, TaskView>,
	/// Whether this worker runs in the `--dishonest` test mode.
	pub dishonest: bool,
	/// Tasks computed at once and inputs fetched at once ([`crate::schedule::Limits`]).
	pub slots: (usize, usize),
}

/// Shared, lock-protected status.
pub type SharedStatus = Arc<RwLock<Status>>;

/// Serves the JSON-RPC status API on `listen`: `worker_health`, `worker_tasks`, `worker_models`.
pub async fn serve_status(
	listen: SocketAddr,
	status: SharedStatus,
) -> Result<(SocketAddr, ServerHandle), TelemetryError> {
	let bind = |error: std::io::Error| TelemetryError::Bind(listen, error.to_string());
	let server = Server::builder().build(listen).await.map_err(bind)?;
	let address = server.local_addr().map_err(bind)?;
	let mut module = RpcModule::new(status);
	module
		.register_method("worker_health", |_, status, _| {
			let status = status.read().map(|s| s.clone()).unwrap_or_default();
			serde_json::json!({
				"node": status.node,
				"registered": status.registered,
				"connected": status.connected,
				"finalized_block": status.finalized_block,
				"open_tasks": status.tasks.len(),
				"dishonest": status.dishonest,
				"computation_slots": status.slots.0,
				"fetch_slots": status.slots.1,
			})
		})
		.map_err(register)?;
	module
		.register_method("worker_tasks", |_, status, _| {
			status.read().map(|s| s.tasks.values().cloned().collect::<Vec<_>>()).unwrap_or_default()
		})
		.map_err(register)?;
	module
		.register_method("worker_models", |_, status, _| {
			let models = status.read().map(|s| s.models.clone()).unwrap_or_default();
			serde_json::to_value(models).unwrap_or_default()
		})
		.map_err(register)?;
	Ok((address, server.start(module)))
}

fn register(error: impl std::fmt::Display) -> TelemetryError {
	TelemetryError::Register(error.to_string())
}

/// Why a telemetry server could not start.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
	/// The address could not be bound.
	#[error("cannot listen on {0}: {1}")]
	Bind(SocketAddr, String),
	/// A method could not be registered (a bug).
	#[error("status API: {0}")]
	Register(String),
}
