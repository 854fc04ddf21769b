# Kömek's production image: one image for every process (komek bot, console, worker, scheduler,
# db upgrade). docker-compose.yml puts them together; docs/operations.md runs them.
#
#   docker compose build            (or: docker build -t komek .)
#
# Stages: `build` installs the pinned dependencies and Kömek into a virtual environment;
# `models` downloads the small Vosk models for kk, ru and en and verifies their checksums;
# the final stage has only the environment, the models and an unprivileged user.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/komek/venv/bin:$PATH
WORKDIR /src
RUN python -m venv /opt/komek/venv \
 && pip install --quiet "pip==26.3" "setuptools==80.9.0"
# Dependencies first, so that a change to Kömek's code reuses this layer: the run-time ones
# named in pyproject.toml, at the versions pinned in requirements.lock (which also pins the
# developers' tools; those stay out of the image).
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('runtime.txt', 'w').write('\n'.join(deps))" \
 && pip install --quiet -r runtime.txt -c requirements.lock
COPY README.md ./
COPY core core
COPY bot bot
COPY nlu nlu
COPY voice voice
COPY alerts alerts
COPY content content
COPY bookings bookings
COPY console console
COPY sandbox sandbox
COPY cli cli
RUN pip install --quiet --no-deps --no-build-isolation . \
 && komek --help >/dev/null

FROM build AS models
# `komek models download` streams each archive, verifies it (SHA-256 from the checksum file,
# else the catalog's; the publisher's MD5 and size only where no SHA-256 is known) and only
# then installs it. A mismatch fails the build. The Piper voices for kk and ru need their
# SHA-256 pinned by the operator (none is published): `komek models download` at deploy time.
COPY deploy/vosk-models.sha256 /opt/komek/vosk-models.sha256
RUN KOMEK_VOSK_MODELS_DIR=/opt/komek/vosk \
    komek models download kk ru en --no-voices --checksums /opt/komek/vosk-models.sha256 \
 && rm -rf /opt/komek/vosk/.downloads

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="Kömek" \
      org.opencontainers.image.description="Accessible assistant and emergency alerts for persons with disabilities in Kazakhstan" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 libgomp1 festival festvox-ru espeak-ng \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 komek \
 && useradd --system --uid 10001 --gid komek --home-dir /var/lib/komek --shell /usr/sbin/nologin komek \
 && install -d -o komek -g komek -m 0750 /var/lib/komek
COPY --from=build /opt/komek/venv /opt/komek/venv
COPY --from=models /opt/komek/vosk /opt/komek/vosk
ENV PATH=/opt/komek/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KOMEK_ENVIRONMENT=production \
    KOMEK_DATA_DIR=/var/lib/komek \
    KOMEK_VOSK_MODELS_DIR=/opt/komek/vosk \
    KOMEK_OPS_HOST=0.0.0.0 \
    KOMEK_CONSOLE_HOST=0.0.0.0 \
    KOMEK_WEBHOOK_HOST=0.0.0.0
WORKDIR /var/lib/komek
USER komek:komek
# The language model is trained once here, not by every process on its first start. (The
# sandbox SMS backend is refused in production; this one command needs no SMS at all.)
RUN KOMEK_SMS_BACKEND=none komek nlu predict </dev/null
EXPOSE 8090 8443 9100
# Each process serves /healthz and /readyz (the console on 8090, the others on 9100);
# docker-compose.yml sets the health check of each.
CMD ["komek", "--help"]
