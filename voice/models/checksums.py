"""Which checksum an archive must match, and computing it.

The expected SHA-256 comes, in order, from the operator's checksum file (sha256sum format:
the `checksums` argument, else `models_dir/SHA256SUMS`), then from the catalogue; only when
neither has one is the archive checked against the publisher's MD5 and size instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from voice.models.catalog import ModelSpec
from voice.models.errors import ChecksumUnknown, ModelDownloadError

CHECKSUMS_FILE = "SHA256SUMS"


@dataclass(frozen=True)
class Expected:
    """What a verified archive must hash to, and where that value came from."""

    algorithm: Literal["sha256", "md5"]
    digest: str
    source: str


def read_checksums(path: Path) -> dict[str, str]:
    """File name -> SHA-256 from a sha256sum-style file ('<hex>  <name>' or '<hex> *<name>')."""
    sums: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) != 2 or line.lstrip().startswith("#"):
            continue
        digest, name = parts[0].lower(), parts[1].strip().lstrip("*")
        if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            sums[PurePosixPath(name).name] = digest
    return sums


def expected_digest(
    spec: ModelSpec, operator: Mapping[str, str], checksums: Path | None
) -> Expected:
    """The checksum to verify against: the operator's SHA-256, ours, or the publisher's MD5."""
    listed = operator.get(spec.archive) or operator.get(spec.name)
    if listed is not None:
        return Expected("sha256", listed, f"the checksum file {checksums}")
    if spec.sha256 is not None:
        return Expected("sha256", spec.sha256.lower(), "Kömek's model catalog")
    if spec.md5 is not None:
        return Expected("md5", spec.md5.lower(), "the publisher's MD5 in model-list.json")
    raise ChecksumUnknown(
        f"No checksum is known for {spec.archive}, so it was not downloaded. Compute its "
        f"SHA-256 on a trusted copy and list it in {checksums or CHECKSUMS_FILE} "
        f"(sha256sum format: '<sha256>  {spec.archive}')."
    )


def operator_checksums(
    models_dir: Path, checksums: Path | None
) -> tuple[Path | None, dict[str, str]]:
    """Create models_dir; read the operator's checksum file (given, or models_dir/SHA256SUMS)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    if checksums is None and (models_dir / CHECKSUMS_FILE).is_file():
        checksums = models_dir / CHECKSUMS_FILE
    if checksums is None:
        return None, {}
    try:
        return checksums, read_checksums(checksums)
    except OSError as error:
        raise ModelDownloadError(f"cannot read the checksum file {checksums} ({error})") from error


def digests(path: Path) -> tuple[str, str]:
    """SHA-256 and MD5 of a file, read in blocks."""
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            sha256.update(block)
            md5.update(block)
    return sha256.hexdigest(), md5.hexdigest()
