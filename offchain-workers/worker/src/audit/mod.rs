//! `btt-worker audit`: the auditor's side of challenge tasks (`docs/auditor.md`).
//!
//! A governance-registered auditor measures what nodes really compute. For each challenge it
//! 1. renders a synthetic radiograph ([`challenge`]) and computes the findings an honest worker
//!    reveals for it, with the registered model and the worker's own compute path;
//! 2. seals that answer: `reference = challenge_seal(auditor, model, input, expected, salt)`,
//!    and stores image, answer, salt and a fresh posting key **before** anything is sent;
//! 3. funds the fresh posting account and posts the task from it with the ordinary
//!    `depinRegistry.postTask`, like a clinic: a module whose model is registered, a fee at the
//!    going rate, an `http://` URI on its own image server ([`serve`]);
//! 4. follows finalized blocks; once the task concludes (`TaskVerified` / `TaskRejected`, or
//!    failed), opens the seal with `depinRegistry.revealChallenge` within the audit window, and
//!    reports the chain's `ChallengeAudited` outcome and which assignees matched.
//!
//! Every step is decided from the stored record and the chain's view, like the worker's loop:
//! after a crash the auditor finds its task by its seal and goes on.

pub mod challenge;
pub mod serve;

use std::{collections::BTreeMap, net::SocketAddr, path::PathBuf, sync::Arc};

use btt_primitives::depin::{challenge_seal, DiagnosticModule, Findings, ModelId, Tier, Urgency};
use rand::{rngs::OsRng, Rng, RngCore};
use serde_json::json;
use sp_crypto_hashing::blake2_256;
use subxt::utils::{AccountId32, Static, H256};
use subxt_signer::{sr25519::Keypair, SecretUri};
use tracing::{error, info, warn};

use crate::{
	chain::{Chain, ChainError, ChallengeOutcome, Concluded, TaskSpec, TaskStatus},
	compute::ModelShelf,
	secrets::{self, read_secret, Secret, SecretError},
	store::{
		fresh_salt, AuditRecord, AuditVerdict, ChallengeRecord, ChallengeStage, Store, StoreError,
	},
	worker::RECONNECT_DELAY,
};
use challenge::{hex, module_name, prepare_image, ImageFormat};

/// One BTT in plancks.
const UNITS: u128 = 1_000_000_000_000;

/// The urgency a challenge is posted with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum UrgencyArg {
	/// A routine examination.
	Routine,
	/// A patient waiting.
	Priority,
	/// An emergency.
	Emergency,
}

impl From<UrgencyArg> for Urgency {
	fn from(urgency: UrgencyArg) -> Self {
		match urgency {
			UrgencyArg::Routine => Urgency::Routine,
			UrgencyArg::Priority => Urgency::Priority,
			UrgencyArg::Emergency => Urgency::Emergency,
		}
	}
}

/// Flags of `btt-worker audit`.
#[derive(clap::Args, Clone, Debug)]
pub struct AuditArgs {
	/// WebSocket RPC endpoint of a BTT node.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub chain: String,
	/// Directory of the auditor's state database, challenge images and own reports.
	#[arg(long, default_value = "btt-auditor-data")]
	pub data_dir: PathBuf,
	/// Refused: a secret URI in argv is visible to every local user. Use --auditor-file or
	/// BTT_AUDITOR_SURI.
	#[arg(long, hide = true)]
	pub auditor: Option<String>,
	/// A file (mode 0600) holding the secret URI of the auditor account (registered by
	/// governance; opens the seals and is reimbursed the fees); or set BTT_AUDITOR_SURI.
	#[arg(long)]
	pub auditor_file: Option<PathBuf>,
	/// Refused: use --funder-file or BTT_FUNDER_SURI.
	#[arg(long, hide = true)]
	pub funder: Option<String>,
	/// A file (mode 0600) holding the secret URI of the account that funds each challenge's
	/// fresh posting account; or set BTT_FUNDER_SURI (default: the auditor; on a real network
	/// an account not linked to it, see docs/auditor.md).
	#[arg(long)]
	pub funder_file: Option<PathBuf>,
	/// A model file (repeat): challenges name the chain ids of its modules.
	#[arg(long = "model", required = true)]
	pub models: Vec<PathBuf>,
	/// A module to challenge (repeat; default every module whose model id is registered).
	#[arg(long = "module")]
	pub modules: Vec<String>,
	/// How many challenges to post in all (counting those in the state database); 0: no limit.
	#[arg(long, default_value_t = 0)]
	pub count: u64,
	/// Mean finalized blocks between two posts (each gap drawn in [every/2, 3·every/2]).
	#[arg(long, default_value_t = 100)]
	pub every: u32,
	/// At most this many challenges open (posted, not yet concluded) at once.
	#[arg(long, default_value_t = 4)]
	pub max_open: u32,
	/// The fee of each challenge in plancks (what clinics pay; reimbursed from the reward pot).
	#[arg(long, default_value_t = 30 * UNITS)]
	pub fee: u128,
	/// Urgency of the challenges.
	#[arg(long, value_enum, default_value_t = UrgencyArg::Routine)]
	pub urgency: UrgencyArg,
	/// Image format.
	#[arg(long, value_enum, default_value_t = ImageFormat::Mixed)]
	pub format: ImageFormat,
	/// Generator seed of the first challenge (challenge n uses seed + n − 1); default: random
	/// per challenge. Fixed seeds make images predictable: tests only.
	#[arg(long)]
	pub seed: Option<u64>,
	/// Address of the image server.
	#[arg(long, default_value = "127.0.0.1:8090")]
	pub listen: SocketAddr,
	/// Base URL nodes fetch images from (default `http://<listen>`); `/radiographs/<name>` is
	/// appended.
	#[arg(long)]
	pub public_url: Option<String>,
	/// Exit once `--count` challenges are settled (audited or expired), after the summary.
	#[arg(long)]
	pub exit_when_done: bool,
}

/// Why the auditor stopped.
#[derive(Debug, thiserror::Error)]
enum AuditError {
	#[error(transparent)]
	Chain(#[from] ChainError),
	#[error(transparent)]
	Store(#[from] StoreError),
	#[error("{0}")]
	Fatal(String),
}

/// Runs the auditor until interrupted (or done, with `--exit-when-done`).
pub async fn run(args: AuditArgs) -> Result<(), String> {
	let (auditor, funder) = keypairs(
		&args,
		std::env::var_os(secrets::AUDITOR.env),
		std::env::var_os(secrets::FUNDER.env),
	)?;
	let modules = args
		.modules
		.iter()
		.map(|key| {
			btt_diagnostics::taxonomy::module_from_key(key).ok_or_else(|| {
				format!("--module {key}: expected caries, periodontal, orthodontic, endodontic or oral_pathology")
			})
		})
		.collect::<Result<Vec<_>, _>>()?;
	if args.every == 0 || args.max_open == 0 {
		return Err("--every and --max-open must be at least 1".into());
	}
	let store =
		Store::open(&args.data_dir.join("state.redb")).map_err(|error| error.to_string())?;
	let shelf = ModelShelf::load(&args.models).map_err(|error| error.to_string())?;
	let images = args.data_dir.join("challenges");
	std::fs::create_dir_all(&images).map_err(|error| format!("{}: {error}", images.display()))?;
	let served = serve::serve_images(args.listen, images.clone())
		.await
		.map_err(|error| format!("image server on {}: {error}", args.listen))?;
	let base = args.public_url.clone().unwrap_or_else(|| format!("http://{served}"));
	let base = format!("{}{}", base.trim_end_matches('/'), serve::PREFIX);
	let account = auditor.public_key().to_account_id();
	info!(auditor = %account, images = %base, "auditor started");

	let candidates: Vec<(DiagnosticModule, ModelId)> = shelf
		.ids()
		.into_iter()
		.filter_map(|(id, _)| Some((shelf.find(&id)?.1, id)))
		.filter(|(module, _)| modules.is_empty() || modules.contains(module))
		.collect();
	let (store, shelf) = (Arc::new(store), Arc::new(shelf));
	let mut next_post = None;
	loop {
		let attempt = async {
			let chain = Chain::connect(&args.chain, auditor.clone()).await?;
			if !chain.is_auditor(&account).await? {
				return Err(AuditError::Fatal(format!(
					"{account} is not a registered auditor (governance adds auditors with depinRegistry.addAuditor)"
				)));
			}
			if let Some(least) = chain.least_native_fee().await? {
				if args.fee < least {
					return Err(AuditError::Fatal(format!(
						"--fee {} is below the chain's least fee in BTT ({least})",
						args.fee
					)));
				}
			}
			let auditor = Auditor {
				chain,
				funder: funder.clone(),
				store: store.clone(),
				shelf: shelf.clone(),
				args: args.clone(),
				candidates: candidates.clone(),
				images: images.clone(),
				base: base.clone(),
				audit_window: 0,
			};
			auditor.follow(&mut next_post).await
		};
		tokio::select! {
			result = attempt => match result {
				Ok(()) => return Ok(()),
				Err(AuditError::Chain(error)) => {
					warn!(%error, "chain connection lost; reconnecting in {} s", RECONNECT_DELAY.as_secs());
					tokio::time::sleep(RECONNECT_DELAY).await;
				}
				Err(AuditError::Store(error)) => return Err(error.to_string()),
				Err(AuditError::Fatal(message)) => return Err(message),
			},
			_ = tokio::signal::ctrl_c() => {
				info!("interrupted; the state database keeps every seal and salt");
				summarize(&store, None).await;
				return Ok(());
			},
		}
	}
}

/// The auditor's and the funder's keys, from their files or the environment values
/// `auditor_env` and `funder_env` (never from argv); the funder defaults to the auditor.
fn keypairs(
	args: &AuditArgs,
	auditor_env: Option<std::ffi::OsString>,
	funder_env: Option<std::ffi::OsString>,
) -> Result<(Keypair, Keypair), String> {
	if args.auditor.is_some() {
		return Err(SecretError::exposed("--auditor", secrets::AUDITOR).to_string());
	}
	if args.funder.is_some() {
		return Err(SecretError::exposed("--funder", secrets::FUNDER).to_string());
	}
	let keypair = |secret: Secret| {
		let uri: SecretUri = secret
			.uri()
			.parse()
			.map_err(|_| SecretError::Invalid(secret.source.clone()).to_string())?;
		Keypair::from_uri(&uri).map_err(|error| format!("{}: {error}", secret.source))
	};
	let auditor = read_secret(secrets::AUDITOR, args.auditor_file.as_deref(), auditor_env)
		.map_err(|error| error.to_string())?
		.ok_or_else(|| {
			format!(
				"the auditor's secret URI is needed: put it in a file only you can read (--auditor-file; `chmod 600` it) or in {}",
				secrets::AUDITOR.env
			)
		})?;
	let auditor = keypair(auditor)?;
	let funder = match read_secret(secrets::FUNDER, args.funder_file.as_deref(), funder_env)
		.map_err(|error| error.to_string())?
	{
		Some(funder) => keypair(funder)?,
		None => auditor.clone(),
	};
	Ok((auditor, funder))
}

/// The auditor's loop state.
struct Auditor {
	/// The chain, signing as the auditor.
	chain: Chain,
	/// Funds the posting accounts.
	funder: Keypair,
	store: Arc<Store>,
	shelf: Arc<ModelShelf>,
	args: AuditArgs,
	/// (module, chain model id) pairs of the loaded models that may be challenged.
	candidates: Vec<(DiagnosticModule, ModelId)>,
	/// Where the images are written (and served from).
	images: PathBuf,
	/// URL prefix of the served images.
	base: String,
	/// The chain's audit window, in blocks.
	audit_window: u32,
}

impl Auditor {
	/// Follows finalized blocks until the connection ends (an error) or the work is done.
	async fn follow(mut self, next_post: &mut Option<u32>) -> Result<(), AuditError> {
		self.audit_window = self.chain.audit_window().await?;
		let mut blocks =
			self.chain.api().stream_blocks().await.map_err(|e| ChainError(e.to_string()))?;
		while let Some(block) = blocks.next().await {
			let block = block.map_err(|e| ChainError(format!("block stream: {e}")))?;
			let number = block.number() as u32;
			if self.on_block(number, next_post).await? {
				summarize(&self.store, Some(&self.chain)).await;
				return Ok(());
			}
		}
		Err(ChainError("the node closed the block stream".into()).into())
	}

	/// One pass at finalized block `number`; `true` once every challenge asked for is settled
	/// and `--exit-when-done` was given.
	async fn on_block(&self, number: u32, next_post: &mut Option<u32>) -> Result<bool, AuditError> {
		let mut records = self.store.challenges()?;
		for record in records.iter_mut().filter(|record| !record.stage.is_final()) {
			if let Err(error) = self.advance(record, number).await {
				match error {
					AuditError::Chain(error) => {
						warn!(challenge = record.id, %error, "challenge step failed; retrying next block")
					}
					other => return Err(other),
				}
			}
		}
		let open = records
			.iter()
			.filter(|record| {
				matches!(
					record.stage,
					ChallengeStage::Prepared | ChallengeStage::Posting | ChallengeStage::Posted
				)
			})
			.count() as u32;
		let total = records.len() as u64;
		let wanted = self.args.count == 0 || total < self.args.count;
		if wanted && open < self.args.max_open && next_post.is_none_or(|at| number >= at) {
			match self.prepare(total + 1, number).await {
				Ok(record) => {
					*next_post = Some(number.saturating_add(self.gap()));
					let mut record = record;
					if let Err(error) = self.advance(&mut record, number).await {
						warn!(challenge = record.id, %error, "posting failed; retrying next block");
					}
				}
				Err(AuditError::Chain(error)) => warn!(%error, "cannot prepare a challenge now"),
				Err(other) => return Err(other),
			}
		}
		let done = self.args.count > 0
			&& total >= self.args.count
			&& self.store.challenges()?.iter().all(|record| record.stage.is_final());
		Ok(done && self.args.exit_when_done)
	}

	/// Blocks until the next post: uniform in [every/2, 3·every/2], so posts have no period.
	fn gap(&self) -> u32 {
		let every = self.args.every;
		OsRng.gen_range(every / 2..=every.saturating_add(every / 2)).max(1)
	}

	/// Renders a challenge, computes and seals its answer, and stores it (nothing sent yet).
	async fn prepare(&self, id: u64, number: u32) -> Result<ChallengeRecord, AuditError> {
		let mut active = Vec::new();
		for (module, model) in &self.candidates {
			if self.chain.model_active(model).await? {
				active.push((*module, *model));
			}
		}
		let Some(&(module, model)) = active.get(OsRng.gen_range(0..active.len().max(1))) else {
			return Err(ChainError(
				"no model id of the loaded files is registered and active on chain".into(),
			)
			.into());
		};
		let generator_seed = match self.args.seed {
			Some(seed) => seed.wrapping_add(id - 1),
			None => OsRng.next_u64(),
		};
		let (shelf, format, images) = (self.shelf.clone(), self.args.format, self.images.clone());
		let reports = self.args.data_dir.join("reports");
		let image = tokio::task::spawn_blocking(move || {
			prepare_image(generator_seed, format, module, model, &images, &shelf, &reports, id)
		})
		.await
		.map_err(|error| AuditError::Fatal(format!("the challenge computation panicked: {error}")))?
		.map_err(AuditError::Fatal)?;
		let salt = fresh_salt();
		let auditor = self.chain.node().clone();
		let seal =
			challenge_seal(&auditor, &model, &image.input_hash.into(), &image.expected, &salt);
		let record = ChallengeRecord {
			id,
			generator_seed,
			file: image.file.clone(),
			module,
			model: model.0,
			input_hash: image.input_hash,
			uri: format!("{}{}", self.base, image.file).into_bytes(),
			expected: image.expected.to_vec(),
			salt,
			seal: seal.0,
			poster_seed: fresh_salt(),
			fee: self.args.fee,
			stage: ChallengeStage::Prepared,
			task: None,
			assignees: Vec::new(),
			audit: None,
		};
		self.store.put_challenge(&record)?;
		info!(
			challenge = id,
			block = number,
			module = module_name(module),
			expected = %format!("0x{}", hex(&record.expected)),
			truth = image.truth,
			file = %image.file,
			"challenge prepared and sealed"
		);
		Ok(record)
	}

	/// Moves one challenge as far as the chain allows now.
	async fn advance(&self, record: &mut ChallengeRecord, number: u32) -> Result<(), AuditError> {
		match record.stage {
			ChallengeStage::Prepared | ChallengeStage::Posting => self.post(record).await,
			ChallengeStage::Posted => self.watch(record, number).await,
			ChallengeStage::Revealing => self.open_seal(record, number).await,
			ChallengeStage::Audited | ChallengeStage::Expired => Ok(()),
		}
	}

	/// Funds the posting account and posts the task (or finds it, after a crash).
	async fn post(&self, record: &mut ChallengeRecord) -> Result<(), AuditError> {
		if record.stage == ChallengeStage::Posting {
			if let Some(task) = self.chain.find_task_by_reference(&record.seal).await? {
				let assignees = match self.chain.task(task).await? {
					Some(open) => open.assignees.0.iter().map(|a| a.node.0).collect(),
					None => Vec::new(),
				};
				record.task = Some(task);
				record.assignees = assignees;
				self.set_stage(record, ChallengeStage::Posted)?;
				info!(challenge = record.id, task, "found the posted challenge after a restart");
				return Ok(());
			}
		}
		let poster = Keypair::from_secret_key(record.poster_seed)
			.map_err(|error| AuditError::Fatal(format!("posting key: {error}")))?;
		let poster_account = poster.public_key().to_account_id();
		let spec = self.spec(record);
		// Written before anything is sent: after a crash the task is looked up by its seal.
		self.set_stage(record, ChallengeStage::Posting)?;
		let deposit = self.chain.task_deposit().await?;
		let existential = self.chain.existential_deposit().await?;
		let payment = self
			.chain
			.post_task_fee_estimate(&poster, self.spec(record), record.fee)
			.await
			.unwrap_or(UNITS / 10);
		let needed = record
			.fee
			.saturating_add(deposit)
			.saturating_add(existential.saturating_mul(2))
			.saturating_add(payment.saturating_mul(2));
		let balance = self.chain.free_balance(&poster_account).await?;
		if balance < needed {
			self.chain.transfer(&self.funder, &poster_account, needed - balance).await?;
		}
		let posted = self.chain.post_task(&poster, spec, record.fee).await?;
		record.task = Some(posted.task);
		record.assignees = posted.assignees.iter().map(|node| node.0).collect();
		self.set_stage(record, ChallengeStage::Posted)?;
		info!(
			challenge = record.id,
			task = posted.task,
			poster = %poster_account,
			module = module_name(record.module),
			assignees = %posted.assignees.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(","),
			"challenge posted"
		);
		emit(json!({
			"event": "posted",
			"challenge": record.id,
			"task": posted.task,
			"module": module_name(record.module),
			"poster": poster_account.to_string(),
			"uri": String::from_utf8_lossy(&record.uri),
			"expected": format!("0x{}", hex(&record.expected)),
			"assignees": posted.assignees.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
		}));
		Ok(())
	}

	/// The task a clinic would post for this image.
	fn spec(&self, record: &ChallengeRecord) -> TaskSpec {
		TaskSpec {
			module: Static(record.module),
			model: H256(record.model),
			input_hash: H256(record.input_hash),
			input_uri: crate::chain::bounded_bytes(record.uri.clone()),
			urgency: Static(self.args.urgency.into()),
			min_tier: Static(Tier::Consumer),
			region: None,
			reference: H256(record.seal),
		}
	}

	/// Waits for the task to conclude, then opens the seal.
	async fn watch(&self, record: &mut ChallengeRecord, number: u32) -> Result<(), AuditError> {
		let Some(task) = record.task else {
			return self.set_stage(record, ChallengeStage::Prepared).map_err(Into::into);
		};
		match self.chain.task_status(task).await? {
			TaskStatus::Committing { .. } | TaskStatus::Revealing { .. } => Ok(()),
			TaskStatus::Unknown => {
				warn!(challenge = record.id, task, "the task is unknown to the chain");
				self.expire(record, "the task is unknown to the chain")
			}
			concluded => {
				info!(challenge = record.id, task, status = ?concluded, "challenge task concluded");
				self.set_stage(record, ChallengeStage::Revealing)?;
				self.open_seal(record, number).await
			}
		}
	}

	/// Opens the seal (or finds it opened, after a crash) and reports the outcome.
	async fn open_seal(&self, record: &mut ChallengeRecord, number: u32) -> Result<(), AuditError> {
		let Some(task) = record.task else { return Ok(()) };
		let Some(concluded) = self.chain.concluded(task).await? else {
			return self
				.expire(record, "the concluded record was removed before the seal was opened");
		};
		if concluded.audited {
			let audit = audit_record(
				&concluded,
				&record.expected,
				verdict_of(&concluded, &record.expected),
				None,
			);
			return self.report(record, audit);
		}
		if number >= concluded.concluded_at.saturating_add(self.audit_window) {
			return self.expire(record, "the audit window closed");
		}
		let expected = Findings::truncate_from(record.expected.clone());
		match self.chain.reveal_challenge(task, &expected, record.salt).await {
			Ok(event) => {
				let verdict = match event.outcome {
					ChallengeOutcome::Passed => AuditVerdict::Passed,
					ChallengeOutcome::Failed => AuditVerdict::Failed,
					ChallengeOutcome::Void => AuditVerdict::Void,
				};
				let audit =
					audit_record(&concluded, &record.expected, verdict, Some(event.reimbursed));
				self.report(record, audit)
			}
			Err(error) if error.0.contains("AuditWindowClosed") => {
				self.expire(record, "the audit window closed")
			}
			Err(error) if error.0.contains("AlreadyAudited") => Ok(()),
			Err(error) => Err(error.into()),
		}
	}

	fn report(&self, record: &mut ChallengeRecord, audit: AuditRecord) -> Result<(), AuditError> {
		let task = record.task.unwrap_or_default();
		let nodes = |nodes: &[[u8; 32]]| {
			nodes.iter().map(|node| AccountId32(*node).to_string()).collect::<Vec<_>>()
		};
		let (matched, missed) = (nodes(&audit.matched), nodes(&audit.missed));
		info!(
			challenge = record.id,
			task,
			outcome = ?audit.verdict,
			reimbursed = audit.reimbursed.map(|amount| amount.to_string()).unwrap_or_else(|| "unknown".into()),
			matched = %matched.join(","),
			missed = %missed.join(","),
			"challenge audited"
		);
		emit(json!({
			"event": "audited",
			"challenge": record.id,
			"task": task,
			"module": module_name(record.module),
			"expected": format!("0x{}", hex(&record.expected)),
			"outcome": format!("{:?}", audit.verdict),
			"reimbursed": audit.reimbursed.map(|amount| amount.to_string()),
			"matched": matched,
			"missed": missed,
		}));
		record.audit = Some(audit);
		self.set_stage(record, ChallengeStage::Audited).map_err(Into::into)
	}

	fn expire(&self, record: &mut ChallengeRecord, why: &str) -> Result<(), AuditError> {
		error!(challenge = record.id, task = ?record.task, "challenge expired: {why}");
		emit(
			json!({ "event": "expired", "challenge": record.id, "task": record.task, "reason": why }),
		);
		self.set_stage(record, ChallengeStage::Expired).map_err(Into::into)
	}

	fn set_stage(
		&self,
		record: &mut ChallengeRecord,
		stage: ChallengeStage,
	) -> Result<(), StoreError> {
		if record.stage == stage {
			return Ok(());
		}
		record.stage = stage;
		self.store.put_challenge(record)
	}
}

/// The verdict the chain reached on an audited task, read back from its record.
fn verdict_of(concluded: &Concluded, expected: &[u8]) -> AuditVerdict {
	use crate::chain::TaskResult;
	match &concluded.outcome {
		TaskResult::Verified { findings, .. } => {
			if btt_primitives::depin::InputFault::from_findings(&findings.0).is_some() {
				AuditVerdict::Void
			} else if findings.0 == expected {
				AuditVerdict::Passed
			} else {
				AuditVerdict::Failed
			}
		}
		TaskResult::Failed { .. } => AuditVerdict::Void,
	}
}

/// Which assignees revealed the sealed answer (the chain stores the hash of each reveal).
fn audit_record(
	concluded: &Concluded,
	expected: &[u8],
	verdict: AuditVerdict,
	reimbursed: Option<u128>,
) -> AuditRecord {
	let answer = blake2_256(expected);
	let (mut matched, mut missed) = (Vec::new(), Vec::new());
	for reveal in &concluded.reveals.0 {
		if reveal.findings.is_some_and(|hash| hash.0 == answer) {
			matched.push(reveal.node.0);
		} else {
			missed.push(reveal.node.0);
		}
	}
	AuditRecord { verdict, reimbursed, matched, missed }
}

/// One JSON object per line on stdout: what scripts and tests read (logs go to stderr).
fn emit(value: serde_json::Value) {
	println!("{value}");
}

/// Logs and prints the totals, and each node's tally from this auditor's challenges (with the
/// chain's record of the node when connected).
async fn summarize(store: &Store, chain: Option<&Chain>) {
	let records = match store.challenges() {
		Ok(records) => records,
		Err(error) => {
			error!(%error, "cannot read the challenges for the summary");
			return;
		}
	};
	let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
	let mut nodes: BTreeMap<[u8; 32], (u32, u32)> = BTreeMap::new();
	let mut reimbursed = 0u128;
	for record in &records {
		let outcome = match (&record.stage, &record.audit) {
			(ChallengeStage::Audited, Some(audit)) => {
				reimbursed = reimbursed.saturating_add(audit.reimbursed.unwrap_or(0));
				if audit.verdict != AuditVerdict::Void {
					for node in &audit.matched {
						nodes.entry(*node).or_default().0 += 1;
					}
					for node in &audit.missed {
						nodes.entry(*node).or_default().1 += 1;
					}
				}
				match audit.verdict {
					AuditVerdict::Passed => "passed",
					AuditVerdict::Failed => "failed",
					AuditVerdict::Void => "void",
				}
			}
			(ChallengeStage::Expired, _) => "expired",
			_ => "open",
		};
		*counts.entry(outcome).or_default() += 1;
	}
	info!(
		challenges = records.len(),
		passed = counts.get("passed").copied().unwrap_or(0),
		failed = counts.get("failed").copied().unwrap_or(0),
		void = counts.get("void").copied().unwrap_or(0),
		expired = counts.get("expired").copied().unwrap_or(0),
		open = counts.get("open").copied().unwrap_or(0),
		reimbursed = %reimbursed,
		"audit summary"
	);
	let mut per_node = Vec::new();
	for (node, (matched, missed)) in &nodes {
		let account = AccountId32(*node);
		let record = match chain {
			Some(chain) => chain
				.node_view_of(&account)
				.await
				.ok()
				.flatten()
				.map(|view| (view.record.challenges_passed, view.record.challenges_failed)),
			None => None,
		};
		info!(node = %account, matched, missed, chain_passed = ?record.map(|r| r.0), chain_failed = ?record.map(|r| r.1), "node");
		per_node.push(json!({
			"node": account.to_string(),
			"matched": matched,
			"missed": missed,
			"challengesPassed": record.map(|r| r.0),
			"challengesFailed": record.map(|r| r.1),
		}));
	}
	emit(json!({
		"event": "summary",
		"challenges": records.len(),
		"outcomes": counts,
		"reimbursed": reimbursed.to_string(),
		"nodes": per_node,
	}));
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use std::os::unix::fs::PermissionsExt;

	use clap::Parser;

	use super::*;

	#[derive(clap::Parser)]
	struct Command {
		#[command(flatten)]
		args: AuditArgs,
	}

	fn args(extra: &[&str]) -> AuditArgs {
		let mut argv = vec!["audit", "--model", "model.safetensors"];
		argv.extend_from_slice(extra);
		Command::try_parse_from(argv).unwrap().args
	}

	fn account(keypair: &Keypair) -> AccountId32 {
		keypair.public_key().to_account_id()
	}

	fn dev(uri: &str) -> AccountId32 {
		account(&Keypair::from_uri(&uri.parse().unwrap()).unwrap())
	}

	#[test]
	fn auditor_and_funder_secrets_on_the_command_line_are_refused() {
		let error = keypairs(&args(&["--auditor", "//Alice//stash"]), None, None).err().unwrap();
		assert_eq!(error, SecretError::exposed("--auditor", secrets::AUDITOR).to_string());
		assert!(!error.contains("Alice"), "{error}");
		let error = keypairs(&args(&["--funder", "//Bob"]), Some("//Alice//stash".into()), None)
			.err()
			.unwrap();
		assert_eq!(error, SecretError::exposed("--funder", secrets::FUNDER).to_string());
		let error = keypairs(&args(&[]), None, None).err().unwrap();
		assert!(error.contains("--auditor-file") && error.contains("BTT_AUDITOR_SURI"), "{error}");
	}

	#[test]
	fn auditor_secret_from_its_file_and_funder_from_the_environment_or_the_auditor() {
		let dir = std::env::temp_dir().join(format!("btt-audit-secrets-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let file = dir.join("auditor");
		std::fs::write(&file, "//Alice//stash\n").unwrap();
		std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
		let with_file = args(&["--auditor-file", file.to_str().unwrap()]);
		let (auditor, funder) = keypairs(&with_file, None, None).unwrap();
		assert_eq!(
			(account(&auditor), account(&funder)),
			(dev("//Alice//stash"), dev("//Alice//stash"))
		);
		let (auditor, funder) = keypairs(&with_file, None, Some("//Bob".into())).unwrap();
		assert_eq!((account(&auditor), account(&funder)), (dev("//Alice//stash"), dev("//Bob")));
		std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
		let error = keypairs(&with_file, None, None).err().unwrap();
		assert!(error.contains("chmod 600"), "{error}");
		let (auditor, _) = keypairs(&args(&[]), Some("//Charlie".into()), None).unwrap();
		assert_eq!(account(&auditor), dev("//Charlie"));
		let _ = std::fs::remove_dir_all(&dir);
	}
}
