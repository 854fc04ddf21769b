"""Downloadable speech models (Vosk for recognition): catalogue, checksums, unpacking,
download with resume, and its progress display; `komek models download` drives them."""
