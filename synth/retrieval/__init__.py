"""Finding evidence: embeddings, the FAISS index, BM25 and their fusion."""
