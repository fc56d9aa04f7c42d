"""Operations endpoints for every deployment: ``/healthz``, ``/metrics`` and the send API."""
