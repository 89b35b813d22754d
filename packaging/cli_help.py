#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads featscale-cli's own help and writes what is derived from it, so neither can drift:

  cli_help.py man-include CLI OUT    help2man include file: every command's --help as a section
  cli_help.py completion CLI OUT     bash completion for featscale-cli
  cli_help.py options CLI COMMAND    the options COMMAND's --help names, one a line (used by tests)

The commands are the entries under "Commands:" in `featscale-cli --help`; a command's options are
the `--name` tokens of its usage lines and of its option lines (lines starting with `--name`, and
`--a X / --b Y`), not those mentioned in prose. An option followed by one space and a word takes a
value: DIR completes directories, words with `|` or an indented list of modes under the option
complete as choices, FILE-like words complete files, anything else completes nothing.
"""
import re
import subprocess
import sys

OPTION = re.compile(r'--[a-z0-9][a-z0-9-]*')


def run_help(cli, *args):
    out = subprocess.run([cli, *args, '--help'], check=True, capture_output=True, text=True).stdout
    return out


def commands(cli):
    text = run_help(cli)
    block = text.split('Commands:\n', 1)[1].split('\n\n', 1)[0]
    return [(m.group(1), m.group(2).strip()) for m in re.finditer(r'^\s+([a-z][a-z0-9-]*)\s+(.*)$', block, re.M)]


def parse_options(text):
    """Returns {option: spec}; spec is None (a flag) or ('dir'|'file'|'none'|'choices', [choices])."""
    lines = text.splitlines()
    options = {'--help': None}
    usage_end = next((i for i, l in enumerate(lines) if not l.strip()), len(lines))

    def spec_of(rest, following):
        # rest: the text right after the option name on its line
        m = re.match(r' (\[?[^\s\]]+)', rest)
        if not m or rest.startswith('  ') or m.group(1).startswith(('-', '[')):
            return None
        word = m.group(1)
        if word.endswith('...'):
            return None  # a flag followed by positional names (weights --download NAME...)
        if 'DIR' in word:
            return ('dir', [])
        choices = [w for w in word.split('|') if re.fullmatch(r'[a-z][a-z0-9-]*', w)]
        modes = []
        for nxt in following:
            mm = re.match(r'^ {5,}([a-z][a-z0-9-]*)\s{2,}', nxt)
            if not mm:
                break
            modes.append(mm.group(1))
        if modes:
            return ('choices', modes)
        if '|' in word and len(choices) == len(word.split('|')):
            return ('choices', choices)
        if re.search(r'FILE|\bF\b|\.csv|CSV', word) or word == 'F':
            return ('file', [])
        return ('none', [])

    for i, line in enumerate(lines):
        stripped = line.strip()
        if i < usage_end:  # usage lines: every --name is an option of this command
            for m in OPTION.finditer(line):
                options.setdefault(m.group(0), spec_of(line[m.end():], []))
            continue
        if not stripped.startswith('--'):
            continue
        for part in re.split(r' / (?=--)', stripped):
            m = OPTION.match(part)
            if m:
                spec = spec_of(part[m.end():], lines[i + 1:])
                if options.get(m.group(0)) is None:
                    options[m.group(0)] = spec
    return options


def completion(cli):
    cmds = commands(cli)
    out = ['# bash completion for featscale-cli, generated from its --help by packaging/cli_help.py',
           '# SPDX-License-Identifier: GPL-3.0-or-later',
           '_featscale_cli()',
           '{',
           '    local cur prev cmd i',
           '    cur="${COMP_WORDS[COMP_CWORD]}"',
           '    prev="${COMP_WORDS[COMP_CWORD-1]}"',
           '    cmd=""',
           '    for ((i = 1; i < COMP_CWORD; i++)); do',
           '        case "${COMP_WORDS[i]}" in -*) ;; *) cmd="${COMP_WORDS[i]}"; break ;; esac',
           '    done',
           '    if [[ -z "$cmd" ]]; then',
           '        COMPREPLY=($(compgen -W "%s --help --version" -- "$cur"))' % ' '.join(c for c, _ in cmds),
           '        return',
           '    fi',
           '    local opts=""',
           '    case "$cmd" in']
    for name, _ in cmds:
        opts = parse_options(run_help(cli, name))
        out.append('    %s)' % name)
        out.append('        opts="%s"' % ' '.join(sorted(opts)))
        cases = {}
        for opt, spec in sorted(opts.items()):
            if spec is None:
                continue
            kind, choices = spec
            if kind == 'dir':
                action = 'COMPREPLY=($(compgen -d -- "$cur"))'
            elif kind == 'file':
                action = 'COMPREPLY=($(compgen -f -- "$cur"))'
            elif kind == 'choices':
                action = 'COMPREPLY=($(compgen -W "%s" -- "$cur"))' % ' '.join(choices)
            else:
                action = 'COMPREPLY=()'
            cases.setdefault(action, []).append(opt)
        if cases:
            out.append('        case "$prev" in')
            for action, names in cases.items():
                out.append('        %s) %s; return ;;' % ('|'.join(names), action))
            out.append('        esac')
        out.append('        ;;')
    out += ['    *) return ;;',
            '    esac',
            '    if [[ "$cur" == -* ]]; then',
            '        COMPREPLY=($(compgen -W "$opts" -- "$cur"))',
            '    else',
            '        compopt -o filenames 2>/dev/null',
            '        COMPREPLY=($(compgen -f -- "$cur"))',
            '    fi',
            '}',
            'complete -F _featscale_cli featscale-cli',
            '']
    return '\n'.join(out)


def roff_escape(line):
    line = line.replace('\\', '\\e').replace('-', '\\-')  # \- : a minus sign, so options copy and search
    if line.startswith(('.', "'")):
        line = '\\&' + line
    return line


def man_include(cli):
    out = ['[COMMANDS IN DETAIL]',
           'Each command prints the text below with',
           '.B featscale-cli',
           '.I COMMAND',
           '.BR \\-\\-help .']
    for name, summary in commands(cli):
        out.append('.SS "%s"' % name)
        out.append('.nf')
        out.extend(roff_escape(l) for l in run_help(cli, name).rstrip('\n').splitlines())
        out.append('.fi')
    out += ['[SEE ALSO]',
            '.BR featscale (1)',
            '']
    return '\n'.join(out)


def main():
    what, cli = sys.argv[1], sys.argv[2]
    if what == 'options':
        print('\n'.join(sorted(parse_options(run_help(cli, sys.argv[3])))))
        return
    text = {'completion': completion, 'man-include': man_include}[what](cli)
    with open(sys.argv[3], 'w', encoding='utf-8') as f:
        f.write(text)


if __name__ == '__main__':
    main()
