"""Output forms: Markdown (the single text form) and Word, written from its tokens."""
