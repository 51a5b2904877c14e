# Sourced by the request-filter benchmark (waf.sh).
# split_halves <targets.tsv> <out-dir>: the seeded stores in odd places of the seed's list go to
# <out-dir>/targets-waf-on.tsv, those in even places to targets-waf-off.tsv (the seed makes every
# store alike, so the halves are matched; `A_A=1 bash bench/waf.sh` checks it).
split_halves() {
  cut -f1 "$1" | awk '!seen[$0]++' > "$2/waf-stores.txt"
  awk 'NR == FNR { if (FNR % 2) on[$0] = 1; next } ($1 in on)' "$2/waf-stores.txt" "$1" > "$2/targets-waf-on.tsv"
  awk 'NR == FNR { if (!(FNR % 2)) off[$0] = 1; next } ($1 in off)' "$2/waf-stores.txt" "$1" > "$2/targets-waf-off.tsv"
}

# toggle on|off|cleanup <targets.tsv> [settings-json]: the filter for those stores (bench/waf-toggle.ts).
toggle() { node --import tsx bench/waf-toggle.ts "$1" "$2" ${3:+"$3"}; }
