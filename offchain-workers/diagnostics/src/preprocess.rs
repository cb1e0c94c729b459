//! TODO(#5): preprocess
