-- Shared by every scenario (loaded with dofile): counts responses by status code and, at the end, prints
-- one line "JSON {...}" with requests, duration, latency percentiles, socket errors and status counts.

local threads = {}
statuses = {}

function setup(thread)
   table.insert(threads, thread)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

-- The lines of a file written by the Python side (session or click ids), in order.
function read_lines(path)
   local lines = {}
   for line in io.lines(path) do
      lines[#lines + 1] = line
   end
   return lines
end

function done(summary, latency, requests)
   local counts = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         counts[#counts + 1] = string.format('"%d": %d', status, n)
      end
   end
   local e = summary.errors
   io.write(string.format(
      'JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "p999_us": %d, '
         .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, '
         .. '"statuses": {%s}}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
      latency:percentile(99.9), e.connect, e.read, e.write, e.timeout, e.status, table.concat(counts, ", ")))
end
