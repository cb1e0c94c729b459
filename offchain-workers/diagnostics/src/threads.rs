//! The thread count of the inference, fixed once per process.
//!
//! candle sizes its matrix products by the environment variable `RAYON_NUM_THREADS` and, when it
//! is unset, asks the operating system on every product (on Linux by reading `/proc/cpuinfo`):
//! about a dozen times per forward pass of the network, which cost more than the attention
//! block's arithmetic. Binaries call [`pin_thread_count`] first thing, while they have a single
//! thread.

/// Sets `RAYON_NUM_THREADS` to the number of CPUs this process may run on, unless it is set
/// already (an operator's choice wins), and returns the count in effect. Call it before any
/// other thread exists: changing the environment races with threads that read it.
pub fn pin_thread_count() -> usize {
	if let Some(count) = std::env::var("RAYON_NUM_THREADS")
		.ok()
		.and_then(|value| value.parse::<usize>().ok())
		.filter(|count| *count > 0)
	{
		return count;
	}
	let count = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
	std::env::set_var("RAYON_NUM_THREADS", count.to_string());
	count
}
