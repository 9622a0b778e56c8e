# The graphsvc API image: slim Python, the package installed with pip, run as a non-root user.
# Credentials are never baked in: the store URL and password come from the environment
# (docker-compose.yml passes GRAPHSVC_STORE and GRAPHSVC_NEO4J_PASSWORD).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Thai glyphs for the charts drawn on the server (maps render Thai in the viewer's browser).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-thai-tlwg-otf \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --user-group graphsvc

WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphsvc ./graphsvc
COPY ingest ./ingest
RUN pip install . && rm -rf /app/graphsvc /app/ingest /app/build

# The sample data the compose file's one-shot ingest service loads.
COPY ingest/sample/files/ /app/sample/

USER graphsvc
WORKDIR /home/graphsvc
ENV GRAPHSVC_STORE=sqlite:////home/graphsvc/graphsvc.db \
    MPLCONFIGDIR=/home/graphsvc/.cache/matplotlib

EXPOSE 8000
CMD ["graphsvc", "serve", "--host", "0.0.0.0", "--port", "8000"]
