#!/bin/sh
# A Switchboard agent that does its task by applying a prepared patch: the demo's stand-in for a coding agent, so
# the workflow changes the repository for real (git worktrees, merges, measured gates) without a model.
#
# Usage, from the agents file: [sh, "${agents.dir}/apply-patch.sh"] or [sh, "${agents.dir}/apply-patch.sh", --crash-once]
#
# Runs in the task's worktree (the repository root) with the environment the orchestrator sets:
#   SWITCHBOARD_TASK_ID      picks the patch: patches/<task-id>.patch, else patches/<id without "phase.">.patch,
#                            else, for a remediation task "<phase>.fix-<round>-<slug>", patches/fix-<slug>.patch
#   SWITCHBOARD_PROMPT_FILE  the agent's instructions; must exist and not be empty (its first heading is printed)
#   SWITCHBOARD_RESULT_FILE  where result.json is written: status, summary, changedFiles (and error on failure)
#   APPLY_PATCH              optional: a patch name that wins over the task id (for ./switchboard invoke, whose
#                            one task is always called "invoke"), e.g. APPLY_PATCH=design
#   SWITCHBOARD_AGENT        the agent's name (names the crash marker)
#   SWITCHBOARD_WORKFLOW_DIR a directory for the whole run (holds the crash marker; when unset, the parent of
#                            SWITCHBOARD_RUN_DIR is used)
#
# --crash-once: on the first task this agent gets in a run it applies the patch's first file only, then kills
# itself with SIGKILL (a real crash mid-task); the orchestrator gives the task to another agent. A patch found
# already applied, wholly or file by file (a crashed attempt's leftovers in the same worktree), is completed, not
# failed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
crash_once=false
for arg in "$@"; do
    case $arg in
        --crash-once) crash_once=true ;;
        *) echo "apply-patch.sh: unknown argument '$arg' (only --crash-once)" >&2; exit 2 ;;
    esac
done

# JSON string literal of $1: backslashes and quotes escaped, newlines as \n, other control characters dropped.
json_string() {
    printf '%s' "$1" | tr '\t\r' '  ' | tr -d '\000-\010\013\014\016-\037' |
        sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | awk 'BEGIN { printf "\"" } NR > 1 { printf "%s", "\\n" }
            { printf "%s", $0 } END { printf "\"" }'
}

# JSON array of the lines of $1 (empty lines skipped).
json_lines() {
    printf '['
    sep=''
    printf '%s\n' "$1" | while IFS= read -r line; do
        [ -n "$line" ] || continue
        printf '%s%s' "$sep" "$(json_string "$line")"
        sep=', '
    done
    printf ']'
}

result_file=${SWITCHBOARD_RESULT_FILE:-}
task=${SWITCHBOARD_TASK_ID:-}
agent=${SWITCHBOARD_AGENT:-apply-patch}

fail() {
    echo "apply-patch.sh: $1" >&2
    if [ -n "$result_file" ]; then
        printf '{"status": "failed", "summary": %s, "changedFiles": [], "error": %s}\n' \
            "$(json_string "$agent could not do task '$task'")" "$(json_string "$1")" > "$result_file"
    fi
    exit 1
}

[ -n "$result_file" ] || fail "SWITCHBOARD_RESULT_FILE is not set: run me as a Switchboard agent"
[ -n "$task" ] || fail "SWITCHBOARD_TASK_ID is not set: run me as a Switchboard agent"
prompt=${SWITCHBOARD_PROMPT_FILE:-}
[ -n "$prompt" ] || fail "SWITCHBOARD_PROMPT_FILE is not set: an agent without instructions does nothing"
[ -f "$prompt" ] || fail "the prompt file $prompt does not exist"
[ -s "$prompt" ] || fail "the prompt file $prompt is empty"
heading=$(sed -n '/^#/{p;q;}' "$prompt")
echo "$agent on $task: ${heading:-(the prompt has no heading)}"

short=${task##*.}
slug=$(printf '%s' "$task" | sed -n 's/^\(.*\.\)*fix-[0-9][0-9]*-\([a-z0-9-]*\)$/\2/p')
patch=''
for candidate in ${APPLY_PATCH:+"$here/patches/$APPLY_PATCH.patch"} "$here/patches/$task.patch" "$here/patches/$short.patch" ${slug:+"$here/patches/fix-$slug.patch"}; do
    if [ -f "$candidate" ]; then
        patch=$candidate
        break
    fi
done
looked="${APPLY_PATCH:+patches/$APPLY_PATCH.patch, }patches/$task.patch"
[ "$short" = "$task" ] || looked="$looked, patches/$short.patch"
[ -z "$slug" ] || looked="$looked, patches/fix-$slug.patch"
[ -n "$patch" ] || fail "no patch for task '$task': looked for $looked in $here"
name=$(basename "$patch")
# the text before the first "diff --git" says what the patch does (git apply ignores it)
what=$(sed -n '/^diff --git /q; /./p' "$patch")
numstat=$(git apply --numstat "$patch") || fail "$name is not a patch git apply can read"
files=$(printf '%s\n' "$numstat" | cut -f 3-)

if $crash_once; then
    workflow_dir=${SWITCHBOARD_WORKFLOW_DIR:-}
    if [ -z "$workflow_dir" ]; then
        workflow_dir=$(dirname "${SWITCHBOARD_RUN_DIR:?neither SWITCHBOARD_WORKFLOW_DIR nor SWITCHBOARD_RUN_DIR is set}")
        echo "apply-patch.sh: SWITCHBOARD_WORKFLOW_DIR is not set; the crash marker goes to $workflow_dir" >&2
    fi
    mkdir -p "$workflow_dir"
    marker="$workflow_dir/crashed-$agent"
    # noclobber makes creating the marker atomic: of two tasks starting at once, one crashes
    if (set -C; : > "$marker") 2> /dev/null; then
        first=$(printf '%s\n' "$files" | sed -n 1p)
        git apply --include="$first" "$patch" || true
        echo "$agent: applied $first of $name, now crashing mid-task on purpose (--crash-once)"
        sleep 0.3 2> /dev/null || sleep 1
        kill -9 $$
    fi
fi

if git apply --check "$patch" 2> /dev/null; then
    git apply "$patch"
    state="applied $name"
elif git apply --reverse --check "$patch" 2> /dev/null; then
    state="found $name already applied; nothing changed"
    files=''
else
    # file by file: a crashed attempt may have applied part of it in this worktree
    applied='' present=''
    for file in $files; do
        if git apply --check --include="$file" "$patch" 2> /dev/null; then
            applied="$applied $file"
        elif git apply --reverse --check --include="$file" "$patch" 2> /dev/null; then
            present="$present $file"
        else
            why=$(git apply --check --include="$file" "$patch" 2>&1 | sed -n 1p)
            fail "$name does not apply to $(pwd): $why"
        fi
    done
    for file in $applied; do
        git apply --include="$file" "$patch"
    done
    state="applied $name (${present# } already there)"
fi

printf '{"status": "succeeded", "summary": %s, "changedFiles": %s}\n' \
    "$(json_string "$state: $what")" "$(json_lines "$files")" > "$result_file"
echo "$agent: $state"
