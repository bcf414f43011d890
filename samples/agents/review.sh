#!/bin/sh
# A Switchboard reviewer agent for design documents: small, but every check is real. Runs in the task's worktree
# (the repository root) with SWITCHBOARD_PROMPT_FILE, SWITCHBOARD_RESULT_FILE, SWITCHBOARD_TASK_ID and
# SWITCHBOARD_AGENT set, and checks every docs/design/*.md:
#   - it has the sections "## Interfaces", "## Data model" and "## Trade-offs", none of them empty;
#   - every item of "## Interfaces" starts with a Java type in backticks and says whether it is (added) or (changed),
#     e.g. "- `Inventory` (changed): ...";
#   - every type marked (changed) exists: a <Type>.java under src/main/java.
# Writes result.json with "verdict": "approve" when nothing was found, else "reject", and "findings" (one line
# each). A reject is a review done, so the status is "succeeded"; "failed" (exit 1) only when it cannot review:
# no prompt, no result file.
set -eu

result_file=${SWITCHBOARD_RESULT_FILE:-}
agent=${SWITCHBOARD_AGENT:-review}

# JSON string literal of $1 (one line): backslashes and quotes escaped, control characters dropped.
json_string() {
    printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

fail() {
    echo "review.sh: $1" >&2
    if [ -n "$result_file" ]; then
        printf '{"status": "failed", "summary": "no review", "error": %s}\n' "$(json_string "$1")" > "$result_file"
    fi
    exit 1
}

[ -n "$result_file" ] || fail "SWITCHBOARD_RESULT_FILE is not set: run me as a Switchboard agent"
prompt=${SWITCHBOARD_PROMPT_FILE:-}
[ -n "$prompt" ] && [ -s "$prompt" ] || fail "no prompt (SWITCHBOARD_PROMPT_FILE missing or empty): nothing to review against"
heading=$(sed -n '/^#/{p;q;}' "$prompt")
echo "$agent on ${SWITCHBOARD_TASK_ID:-?}: ${heading:-(the prompt has no heading)}"

findings=$(mktemp)
trap 'rm -f "$findings" "$findings.items"' EXIT
finding() {
    printf '%s\n' "$1" >> "$findings"
}

# prints the body of section "## $2" of file $1: the lines after its heading up to the next "## " heading
section() {
    awk -v want="## $2" '
        /^## / { inside = (tolower($0) == tolower(want)); next }
        inside { print }' "$1"
}

documents=0
for doc in docs/design/*.md; do
    [ -f "$doc" ] || continue
    documents=$((documents + 1))
    for name in Interfaces "Data model" Trade-offs; do
        if ! grep -qix "## $name" "$doc"; then
            finding "$doc: no '## $name' section"
        elif ! section "$doc" "$name" | grep -q '[[:alnum:]]'; then
            finding "$doc: the '## $name' section is empty"
        fi
    done
    # each item: "<type> <added|changed>", or "? <the item>" when it names no type that way
    section "$doc" Interfaces | awk '
        /^[-*] / {
            if (match($0, /^[-*] `[A-Z][A-Za-z0-9_]*` \((added|changed)\)/)) {
                item = substr($0, 4, RLENGTH - 3)
                split(item, parts, "`")
                print parts[1], (item ~ /\(added\)$/ ? "added" : "changed")
            } else {
                print "?", $0
            }
        }' > "$findings.items"
    if [ ! -s "$findings.items" ]; then
        finding "$doc: '## Interfaces' lists no type (items like '- \`Type\` (added): ...')"
    fi
    while read -r type kind; do
        if [ "$type" = "?" ]; then
            finding "$doc: an Interfaces item names no Java type in backticks with (added) or (changed): $kind"
        elif [ "$kind" = changed ] && [ -z "$(find src/main/java -name "$type.java" 2> /dev/null | sed -n 1p)" ]; then
            finding "$doc: \`$type\` is marked (changed) but there is no $type.java under src/main/java"
        fi
    done < "$findings.items"
    rm -f "$findings.items"
done
[ "$documents" -gt 0 ] || finding "no design document: docs/design/*.md is missing"

if [ -s "$findings" ]; then
    verdict=reject
    summary="rejected $documents design document(s): $(wc -l < "$findings" | tr -d ' ') finding(s)"
else
    verdict=approve
    summary="approved $documents design document(s): sections present, every interface named and found"
fi
{
    printf '{"status": "succeeded", "verdict": "%s", "summary": %s, "changedFiles": [], "findings": [' \
        "$verdict" "$(json_string "$summary")"
    sep=''
    while IFS= read -r line; do
        printf '%s%s' "$sep" "$(json_string "$line")"
        sep=', '
    done < "$findings"
    printf ']}\n'
} > "$result_file"
echo "$agent: $summary"
sed 's/^/  - /' "$findings"
