#!/usr/bin/env bash
# Start N Streamlit processes (ports BASE+1..BASE+N, loopback only) behind nginx on PORT.
#   deploy/serve_class.sh 4            # 4 processes, proxy on 0.0.0.0:8501
#   N=2 PORT=8600 LISTEN=127.0.0.1 deploy/serve_class.sh
# Stops everything it started on Ctrl-C or TERM.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-${N:-2}}"
PORT="${PORT:-8501}"
LISTEN="${LISTEN:-0.0.0.0}"
for v in N PORT; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "serve_class.sh: $v must be a positive whole number, not '${!v}'" >&2; exit 2; }
done
BASE="${BASE:-$((PORT + 100))}"
PY="${PY:-.venv/bin/python}"
PREFIX="$(mktemp -d /tmp/naltrexone-proxy.XXXXXX)"
mkdir -p "$PREFIX"/{body,proxy,fastcgi,uwsgi,scgi}
"$PY" -m scripts.warm_cache  # compiled kernels on disk before the first student arrives
pids=()
cleanup() {
  [ -f "$PREFIX/nginx.pid" ] && kill "$(cat "$PREFIX/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
ups=""
for i in $(seq 1 "$N"); do
  p=$((BASE + i))
  "$PY" -m streamlit run app.py --server.headless true --server.address 127.0.0.1 --server.port "$p" \
    --browser.gatherUsageStats false --server.fileWatcherType none >"$PREFIX/streamlit-$p.log" 2>&1 &
  pids+=($!)
  ups+="        server 127.0.0.1:$p max_fails=0;"$'\n'
done
sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@PORT@|$PORT|g" -e "s|@LISTEN@|$LISTEN|g" deploy/nginx.conf.template \
  | awk -v ups="$ups" '{ if ($0 == "@UPSTREAMS@") printf "%s", ups; else print }' >"$PREFIX/nginx.conf"
for i in $(seq 1 "$N"); do
  until curl -fs "http://127.0.0.1:$((BASE + i))/_stcore/health" >/dev/null; do sleep 0.3; done
done
nginx -p "$PREFIX" -c "$PREFIX/nginx.conf" -g "daemon off;" &
pids+=($!)
echo "serving on http://$LISTEN:$PORT with $N processes (logs in $PREFIX)"
wait
