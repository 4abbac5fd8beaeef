-- wrk script: request the addresses in the file named by BENCH_PATHS in turn, each thread
-- starting at its own place (bench/run.py, the "articles ×1000" row).
local threads = 0

function setup(thread)
  thread:set("start", threads)
  threads = threads + 1
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  position = (start * 499) % #paths
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
