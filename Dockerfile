# The simulator behind nginx with N Streamlit processes (deploy/serve_class.sh); N from the environment.
#   docker build -t naltrexone-sim . && docker run -p 8501:8501 -e N=4 naltrexone-sim
FROM python:3.11-slim-bookworm
RUN apt-get update -q && apt-get install -y -q --no-install-recommends nginx-light curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN python -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
# Compile numba's kernels now (single runs and populations), so the first student does not wait for them.
RUN .venv/bin/python -m scripts.warm_cache
ENV N=2 PORT=8501 LISTEN=0.0.0.0 STREAMLIT_BROWSER_GATHER_USAGE_STATS=false MPLBACKEND=Agg
EXPOSE 8501
CMD ["deploy/serve_class.sh"]
