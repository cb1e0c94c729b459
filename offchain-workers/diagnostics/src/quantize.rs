//! TODO(#5): quantize
