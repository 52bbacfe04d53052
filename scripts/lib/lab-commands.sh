# Lab command helpers sourced by provision-vm.sh and cleanup.sh.
# shellcheck shell=bash
# shellcheck disable=SC2016 # single-quoted ${name} is meant literally: dry runs print placeholders.
# shellcheck disable=SC2154 # subscription_id is set by the script that sources this file.
# Every Azure CLI command goes through run or capture, which print it as a shell line first, so that
# a dry run prints the exact commands, in order, as a bash script (values that a real run reads from
# an earlier command's output appear as ${name}). Written for bash 3.2 too (macOS).
dry_run=false
show_indent=""
hidden_variables=""
quoted=""
shown=""

is_dry_run() { [ "$dry_run" = true ]; }
warn() { printf 'warning: %s\n' "$*" >&2; }
fail() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}
usage_error() {
  printf 'error: %s\nRun with --help for usage.\n' "$*" >&2
  exit 2
}

# option_value OPTION [VALUE]: the option's value, or a usage error when it has none.
option_value() {
  if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi
  printf '%s' "$2"
}

# quote_word WORD: sets quoted to WORD as bash needs it written; ${name} placeholders stay expandable.
# (Helpers return through variables: command substitutions would fork for every word.)
quote_word() {
  local word=$1 escaped_quote="'\\''" escaped
  case $word in
    '') quoted="''" ;;
    *[!A-Za-z0-9_./:=@,+%^-]*)
      escaped=${word//\'/$escaped_quote}
      case $word in
        *'"'* | *\\* | *'`'* | *'$('*) quoted="'$escaped'" ;;
        *'${'*) quoted="\"$word\"" ;;
        *) quoted="'$escaped'" ;;
      esac
      ;;
    *) quoted=$word ;;
  esac
}

# shown_words WORD...: sets shown to the command line as printed, hidden values shown by name.
shown_words() {
  local word name value placeholder
  shown=""
  for word in "$@"; do
    for name in $hidden_variables; do
      value=${!name-}
      case $value in '' | '${'*) continue ;; esac
      placeholder="\${$name}"
      word=${word//"$value"/$placeholder}
    done
    quote_word "$word"
    shown="$shown${shown:+ }$quoted"
  done
}

show_line() {
  if is_dry_run; then printf '%s%s\n' "$show_indent" "$1"; else printf '+ %s\n' "$1"; fi
}

# step MESSAGE: what the next commands do.
step() {
  if is_dry_run; then printf '\n%s# %s\n' "$show_indent" "$1"; else printf '\n==> %s\n' "$1"; fi
}

note() {
  if is_dry_run; then printf '%s# %s\n' "$show_indent" "$1"; else printf '%s\n' "$1"; fi
}

begin() {
  if is_dry_run; then
    printf '# Dry run of %s: the commands it would run, in order, as a bash script. Nothing was run.\n' "$1"
    printf '# ${name} stands for a value that a real run reads from an earlier command.\n'
  fi
}

# begin_if CONDITION / end_if: in a dry run, print the shell condition that guards the commands
# between them (a real run tests it itself and runs only what applies).
begin_if() {
  if is_dry_run; then
    show_line "if $1; then"
    show_indent="$show_indent  "
  fi
}
end_if() {
  if is_dry_run; then
    show_indent=${show_indent%  }
    show_line "fi"
  fi
}

# run COMMAND...: print the command, then run it (not in a dry run).
run() {
  shown_words "$@"
  show_line "$shown"
  if is_dry_run; then return 0; fi
  "$@"
}

# capture VARIABLE COMMAND...: VARIABLE=$(COMMAND...), printed first. Returns the command's status.
capture() {
  local variable=$1 value
  shift
  shown_words "$@"
  show_line "$variable=\$($shown)"
  if is_dry_run; then
    printf -v "$variable" '${%s}' "$variable"
    return 0
  fi
  value=$("$@") || return $?
  printf -v "$variable" '%s' "$value"
}

# run_if_set VARIABLE COMMAND...: run the command only when VARIABLE is not empty.
run_if_set() {
  local variable=$1
  shift
  if is_dry_run; then
    begin_if "[ -n \"\${$variable}\" ]"
    run "$@"
    end_if
  elif [ -n "${!variable-}" ]; then
    run "$@"
  fi
}

# report: print the text on standard input for people (as comments in a dry run).
report() {
  if is_dry_run; then sed -e 's/^/# /' -e 's/^# $/#/'; else cat; fi
}

# require_az_login [SUBSCRIPTION]: set subscription_id from az, or stop with the fix.
require_az_login() {
  if ! is_dry_run && ! command -v az >/dev/null 2>&1; then
    fail "the Azure CLI (az) is not installed. Install it (https://learn.microsoft.com/cli/azure/install-azure-cli), or use Azure Cloud Shell or this repository's dev container."
  fi
  step "Check that the Azure CLI is signed in, and find the subscription."
  if [ -n "$1" ]; then
    capture subscription_id az account show --subscription "$1" --query id --output tsv ||
      fail "the Azure CLI is not signed in, or cannot use subscription '$1'.
Fix: run 'az login' (over SSH or in a Codespace: 'az login --use-device-code'), check the
subscription with 'az account list --output table', then run this script again."
  else
    capture subscription_id az account show --query id --output tsv ||
      fail "the Azure CLI is not signed in.
Fix: run 'az login' (over SSH or in a Codespace: 'az login --use-device-code'), choose the
subscription with 'az account set --subscription <id>', then run this script again."
  fi
  if ! is_dry_run; then note "Using subscription $subscription_id."; fi
}
