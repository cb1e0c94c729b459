//! `btt-diagnostics`: generate synthetic radiographs, train and evaluate a model, diagnose an
//! image. The command-line wiring only; the work is in the library.

mod cli;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

/// Dental radiograph diagnostics for BTT compute nodes.
#[derive(Parser)]
#[command(version, about)]
struct Args {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Writes synthetic radiographs (PNG and/or DICOM) and their labels (labels.json).
	Generate(cli::generate::GenerateArgs),
	/// Trains a model on synthetic images (or DENTEX) and writes checkpoints and the calibrated
	/// model.
	Train(cli::train::TrainArgs),
	/// Evaluates a model on a held-out split: metrics.json, metrics.md, roc.png.
	Eval(cli::eval::EvalArgs),
	/// Diagnoses one image: findings, digest, and optionally a FHIR report and an overlay.
	Diagnose(cli::diagnose::DiagnoseArgs),
	/// Times the network's forward pass; can dump its input and logits for another runtime.
	Bench(cli::bench::BenchArgs),
	/// Prints a model file's hash, the chain id of each of its modules, class names and metadata.
	ModelId {
		/// The model file (.safetensors).
		model: PathBuf,
	},
}

fn main() -> ExitCode {
	btt_diagnostics::threads::pin_thread_count();
	let args = Args::parse();
	let result = match args.command {
		Command::Generate(args) => cli::generate::run(args),
		Command::Train(args) => cli::train::run(args),
		Command::Eval(args) => cli::eval::run(args),
		Command::Diagnose(args) => cli::diagnose::run(args),
		Command::Bench(args) => cli::bench::run(args),
		Command::ModelId { model } => cli::model_id(&model),
	};
	match result {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error}");
			ExitCode::FAILURE
		}
	}
}
