//! Builds the runtime's wasm blob (and, with `metadata-hash`, embeds the metadata hash).

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("BTT", 12)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// The wasm builder is only needed (and only available) for `std` builds.
#[cfg(not(feature = "std"))]
fn main() {}
