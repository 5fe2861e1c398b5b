# Rewrites a recorded BloomBee log (fixture/) for one case, keeping its format: every NNms and NNKB
# value is scaled by what the case's settings would do, so each case gets its own numbers.
#   awk -v batch=B -v seq=S -v lossless=0|1 -v offload=0|1 -f scale.awk fixture/inference.log
# The recording is batch 84, seq 512, no compression. Bytes follow batch × seq; time follows its square
# root; offloading costs 60 %, the lossless wrapper 12 % (it compresses) and sends 62 % of the raw bytes.
BEGIN {
  S = (batch * seq) / (84 * 512)
  W = lossless ? 0.62 : 1.0
  T = (0.35 + 0.65 * sqrt(S)) * (offload ? 1.6 : 1.0) * (lossless ? 1.12 : 1.0)
  WR = sprintf("%.4f", W)
}
{
  line = $0
  out = ""
  while (match(line, /[A-Za-z_]*=[0-9]+(\.[0-9]+)?(ms|KB)/)) {
    tok = substr(line, RSTART, RLENGTH)
    out = out substr(line, 1, RSTART - 1)
    line = substr(line, RSTART + RLENGTH)
    eq = index(tok, "=")
    key = substr(tok, 1, eq)
    val = substr(tok, eq + 1)
    unit = substr(val, length(val) - 1)
    num = substr(val, 1, length(val) - 2) + 0
    if (unit == "KB") {
      num = num * S
      # Everything but the raw sizes is what crosses the wire.
      if (key !~ /raw/) num = num * W
      out = out key sprintf("%.2f", num) "KB"
    } else {
      # Fewer bytes on the wire: the network part shrinks with them.
      if (key ~ /network|rtt/) num = num * W
      out = out key sprintf("%.2f", num * T) "ms"
    }
  }
  out = out line
  gsub(/batch=84/, "batch=" batch, out)
  gsub(/BatchSize=84/, "BatchSize=" batch, out)
  gsub(/Size\(\[84, 512\]\)/, "Size([" batch ", " seq "])", out)
  if (lossless) {
    gsub(/compress=0\.00ms/, "compress=" sprintf("%.2f", 0.35 * T) "ms", out)
    gsub(/compress_ok=0/, "compress_ok=1", out)
  }
  gsub(/ ratio=1\.0000/, " ratio=" WR, out)
  gsub(/_ratio=1\.0000/, "_ratio=" WR, out)
  print out
}
