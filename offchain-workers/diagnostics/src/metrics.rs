//! TODO(#5): metrics
