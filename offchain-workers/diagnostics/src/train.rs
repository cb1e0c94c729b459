//! TODO(#5): train
