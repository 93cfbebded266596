import type { Command } from 'commander';
import { CliError } from '../../util/errors';
import type { CommandEnv } from '../program';

/**
 * The scripts of `kubesim completion SHELL`. Each hands the words typed so far to
 * `kubesim __complete` (cobra's protocol, answered by ../completion.ts) and turns its
 * candidates and directive into the shell's completions.
 */
const SCRIPTS: Record<string, string> = {
  bash: `# bash completion for kubesim. Load it with: source <(kubesim completion bash)
# It asks \`kubesim __complete WORD...\` for candidates (cobra's protocol: one a line, then :DIRECTIVE).

__kubesim_complete() {
    local words=() w i line directive out cur prefix
    # bash splits words at = and : (COMP_WORDBREAKS); kubesim wants them whole
    for ((i = 1; i <= COMP_CWORD; i++)); do
        w=\${COMP_WORDS[i]}
        if ((\${#words[@]})) && [[ $w == [=:] || (\${words[-1]} == *[=:] && -n $w) ]]; then
            words[-1]+=$w
        else
            words+=("$w")
        fi
    done
    cur=\${words[-1]}
    # readline replaces only what follows the last = or :, so candidates lose what precedes it
    prefix=\${cur%"\${cur##*[=:]}"}
    out=$("\${COMP_WORDS[0]}" __complete "\${words[@]}" 2>/dev/null) || return
    directive=\${out##*:}
    out=\${out%:*}
    COMPREPLY=()
    ((directive & 1)) && return
    if ((directive & 8)); then
        local ext
        while IFS= read -r ext; do
            [[ -n $ext ]] || continue
            while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -f -X "!*.$ext" -- "\${cur##*[=:]}")
        done <<<"$out"
        while IFS= read -r w; do COMPREPLY+=("$w/"); done < <(compgen -d -- "\${cur##*[=:]}")
        compopt -o nospace 2>/dev/null
        return
    fi
    if ((directive & 16)); then
        while IFS= read -r w; do COMPREPLY+=("$w/"); done < <(compgen -d -- "\${cur##*[=:]}")
        compopt -o nospace 2>/dev/null
        return
    fi
    while IFS= read -r line; do
        [[ -n $line ]] || continue
        line=\${line%%$'\\t'*}
        COMPREPLY+=("\${line#"$prefix"}")
    done <<<"$out"
    ((directive & 2)) && compopt -o nospace 2>/dev/null
    if ((\${#COMPREPLY[@]} == 0 && !(directive & 4))); then
        compopt -o default 2>/dev/null
    fi
}

complete -F __kubesim_complete kubesim
`,
  zsh: `#compdef kubesim
# zsh completion for kubesim. Load it with: source <(kubesim completion zsh)
# It asks \`kubesim __complete WORD...\` for candidates (cobra's protocol: one a line, then :DIRECTIVE).

_kubesim() {
  local out directive line
  local -a lines candidates
  out=$(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  lines=("\${(@f)out}")
  directive=\${lines[-1]#:}
  lines=("\${(@)lines[1,-2]}")
  (( directive & 1 )) && return 1
  [[ \${words[CURRENT]} == -*=* ]] && compset -P '*='
  if (( directive & 8 )); then
    _files -g "*.(\${(j:|:)lines})"
    return
  fi
  if (( directive & 16 )); then
    _files -/
    return
  fi
  for line in $lines; do
    # _describe reads NAME:DESCRIPTION, so a colon in the name is escaped
    if [[ $line == *$'\\t'* ]]; then
      candidates+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    else
      candidates+=("\${line//:/\\\\:}")
    fi
  done
  if (( \${#candidates} )); then
    if (( directive & 2 )); then
      _describe -t kubesim kubesim candidates -S ''
    else
      _describe -t kubesim kubesim candidates
    fi
  elif (( ! (directive & 4) )); then
    _files
  fi
}

if [[ $funcstack[1] == _kubesim ]]; then
  _kubesim "$@"
else
  compdef _kubesim kubesim
fi
`,
  fish: `# fish completion for kubesim. Load it with: kubesim completion fish | source
# It asks \`kubesim __complete WORD...\` for candidates (cobra's protocol: one a line, then :DIRECTIVE).

function __kubesim_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l out ($words[1] __complete $words[2..-1] "$cur" 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    test (math "bitand($directive, 1)") -eq 0; or return
    if test (math "bitand($directive, 24)") -ne 0
        __fish_complete_path "$cur"
        return
    end
    # fish matches candidates against the whole word: --output=ya wants --output=yaml
    set -l prefix (string match -r -- '^-[^=]*=' "$cur")
    for line in $out
        printf '%s%s\\n' "$prefix" "$line"
    end
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$cur"
    end
end

complete -c kubesim -f -a '(__kubesim_complete)'
`,
  powershell: `# powershell completion for kubesim. Load it with: kubesim completion powershell | Out-String | Invoke-Expression
# It asks \`kubesim __complete WORD...\` for candidates (cobra's protocol: one a line, then :DIRECTIVE).

Register-ArgumentCompleter -CommandName 'kubesim' -Native -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    $words = @($CommandAst.CommandElements | Where-Object { $_.Extent.StartOffset -lt $CursorPosition } | Select-Object -Skip 1 | ForEach-Object { $_.Extent.Text })
    if ($WordToComplete -eq '') {
        # before 7.3 PowerShell drops an empty argument to a native command
        if ($PSVersionTable.PSVersion -ge [version]'7.3') { $words += '' } else { $words += '""' }
    }
    $out = @(& $CommandAst.CommandElements[0].Extent.Text __complete @words 2>$null)
    if ($out.Count -eq 0) { return }
    $directive = [int]($out[-1].TrimStart(':'))
    if ($directive -band 1) { return }
    $prefix = ''
    if ($WordToComplete -match '^(-[^=]*=)') { $prefix = $Matches[1] }
    if ($out.Count -gt 1) {
        $out[0..($out.Count - 2)] | ForEach-Object {
            $name, $description = $_ -split "\`t", 2
            if (-not $description) { $description = $name }
            [System.Management.Automation.CompletionResult]::new("$prefix$name", $name, 'ParameterValue', $description)
        }
    }
}
`,
};

const EXAMPLES = `
Examples:
  # Load the kubesim completion code for bash into the current shell
  source <(kubesim completion bash)
  # Write it to a file and source it from .bash_profile
  kubesim completion bash > ~/.kubesim/completion.bash.inc
  printf "\\n# kubesim shell completion\\nsource '$HOME/.kubesim/completion.bash.inc'\\n" >> $HOME/.bash_profile

  # Load the kubesim completion code for zsh into the current shell
  source <(kubesim completion zsh)
  # Set the kubesim completion code for zsh to autoload on startup
  kubesim completion zsh > "\${fpath[1]}/_kubesim"

  # Load the kubesim completion code for fish into the current shell
  kubesim completion fish | source

  # Load the kubesim completion code for powershell into the current shell
  kubesim completion powershell | Out-String | Invoke-Expression`;

export function register(program: Command, env: CommandEnv): void {
  program
    .command('completion')
    .description('Output shell completion code for the specified shell (bash, zsh, fish, or powershell)')
    .usage('SHELL')
    .argument('[shell...]', 'bash, zsh, fish or powershell')
    .addHelpText('after', EXAMPLES)
    .action((shells: string[]) => {
      // kubectl completion's own checks (RunCompletion)
      const usage = "See 'kubesim completion -h' for help and examples";
      if (!shells.length) throw new CliError(`Shell not specified.\n${usage}`);
      if (shells.length > 1) throw new CliError(`Too many arguments. Expected only the shell type.\n${usage}`);
      const script = SCRIPTS[shells[0]];
      if (!script) throw new CliError(`Unsupported shell type "${shells[0]}".\n${usage}`);
      env.out.out(script);
    });
}
