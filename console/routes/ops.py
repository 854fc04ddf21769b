"""Health, readiness and metrics for the operators' monitoring.

`/healthz` and `/readyz` are public: load balancers and container health checks call them
without credentials, and they say only ok or not and which check failed. `/metrics` holds no
personal data but does tell how busy the service is, so on the console (a public face) it
needs KOMEK_METRICS_TOKEN as a bearer token when one is set, and is refused in production
when none is.
"""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from alerts.fanout.queue_depth import refresh_queue_depth
from console.deps import Context
from console.security import public
from core.health import readiness
from core.metrics import CONTENT_TYPE, exposition, may_scrape

log = structlog.get_logger(__name__)
router = APIRouter(include_in_schema=False)


@router.get("/healthz")
@public
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok", "process": "console"})


@router.get("/readyz")
@public
async def readyz(ctx: Context) -> JSONResponse:
    ready = await readiness(ctx.settings, ctx.sessions)
    return JSONResponse(ready.to_json(), status_code=200 if ready.ready else 503)


@router.get("/metrics")
@public
async def metrics(request: Request, ctx: Context) -> Response:
    if not may_scrape(ctx.settings, request.headers.get("authorization"), console=True):
        if ctx.settings.metrics_token is None:
            return JSONResponse(
                {"detail": "set KOMEK_METRICS_TOKEN to read the console's metrics"},
                status_code=403,
            )
        return JSONResponse(
            {"detail": "a valid metrics token is needed"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        await refresh_queue_depth(ctx.sessions, ctx.clock.now())
    except Exception as error:  # stale figures beat no figures
        log.warning("ops.collect_failed", error=type(error).__name__)
    return Response(exposition(), media_type=CONTENT_TYPE)
