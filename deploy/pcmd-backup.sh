#!/bin/sh
# A dated backup (manage.py backup) under $PCMD_BACKUP_DIR, older ones removed after
# $PCMD_BACKUP_KEEP_DAYS days. Copy the folder off this machine too (deploy/README.md).
set -eu
cd "$(dirname "$0")/.."
dir="${PCMD_BACKUP_DIR:-/var/backups/pcmd}"
keep="${PCMD_BACKUP_KEEP_DAYS:-14}"
target="$dir/pcmd-$(date -u +%Y%m%dT%H%M%SZ)"
.venv/bin/python manage.py backup "$target"
find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'pcmd-*' -mtime "+$keep" -exec rm -rf {} +
