# Sourced at the top of every script of Admit's (scripts/, Tests/vm/): a command that fails
# names itself, so no script ever stops without saying where. Prints
#     SCRIPT: line N: COMMAND exited STATUS
# on standard error, for the file and line where the failing command stands (a function in
# a sourced file names that file). `set -E` carries the trap into functions and subshells.
# Scripts that stop at the first failure also `set -e`; the VM scenarios go on after a
# failed command (their checks decide), and the trap only makes the failure visible.
set -E
trap '_fail_loudly_status=$?; printf "%s: line %s: \`%s\` failed (status %s)\n" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" "$_fail_loudly_status" >&2' ERR
