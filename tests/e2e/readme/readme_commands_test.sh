#!/usr/bin/env bash
# Runs the README's command blocks verbatim, as a new user would paste them: every ```sh block
# that follows a `<!-- tested: NAME -->` line. Each block runs with `bash -e` in a fresh
# folder holding `build`, `fixtures` and `rigs` links to the real trees, with onshi-hil and
# onshi-ons-mock on PATH, in its own process group (whatever it started in the background
# is ended afterwards), under a time limit. Fails naming the block and showing its output.
#
#   readme_commands_test.sh README.md SOURCE_DIR BUILD_DIR [NAME]
set -uo pipefail
readme=$1 source_dir=$2 build_dir=$3 only=${4:-}
[[ -f "$readme" ]] || { echo "no README at $readme"; exit 2; }

declare -a names=() bodies=()
name="" body="" state=none
while IFS= read -r line || [[ -n "$line" ]]; do
  case $state in
    none)
      if [[ "$line" =~ ^\<\!--\ tested:\ ([a-z0-9-]+)\ --\>$ ]]; then
        name=${BASH_REMATCH[1]}
        state=marked
      fi
      ;;
    marked)
      if [[ "$line" == '```sh' ]]; then
        state=inside
        body=""
      elif [[ -n "$line" ]]; then
        echo "README: the block marked '$name' must start right after the marker with \`\`\`sh"
        exit 2
      fi
      ;;
    inside)
      if [[ "$line" == '```' ]]; then
        names+=("$name")
        bodies+=("$body")
        state=none
      else
        body+="$line"$'\n'
      fi
      ;;
  esac
done <"$readme"
((${#names[@]} > 0)) || { echo "README: no block is marked <!-- tested: NAME -->"; exit 1; }

failed=0 ran=0
for i in "${!names[@]}"; do
  [[ -n "$only" && "${names[$i]}" != "$only" ]] && continue
  work=$(mktemp -d)
  ln -s "$build_dir" "$work/build"
  ln -s "$source_dir/fixtures" "$work/fixtures"
  ln -s "$source_dir/rigs" "$work/rigs"
  printf '%s' "${bodies[$i]}" >"$work/block.sh"
  (
    cd "$work" || exit 2
    export PATH="$build_dir/harness/cli:$build_dir/mocks/ons:$PATH"
    # Its own session: the block's background servers are ended with it.
    exec setsid timeout --kill-after=5 90 bash -e block.sh
  ) >"$work/output.txt" 2>&1 &
  pid=$!
  wait "$pid"
  status=$?
  pkill -TERM -s "$pid" 2>/dev/null
  sleep 0.2
  pkill -KILL -s "$pid" 2>/dev/null
  ran=$((ran + 1))
  if ((status != 0)); then
    failed=$((failed + 1))
    echo "=== README block '${names[$i]}' exited $status:"
    cat "$work/block.sh"
    echo "--- its output:"
    cat "$work/output.txt"
  else
    echo "README block '${names[$i]}': ok"
  fi
  rm -rf "$work"
done
((ran > 0)) || { echo "no README block named '$only'"; exit 1; }
echo "$((ran - failed)) passed, $failed failed"
((failed == 0))
