//! TODO(#5): quality
