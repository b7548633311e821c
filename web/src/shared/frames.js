// Socket frames are JSON objects; anything else on the wire is not ours to show.

/** The frame object in a message event's data, or null. */
export function parseFrame(data) {
  if (typeof data !== "string") return null;
  let frame;
  try {
    frame = JSON.parse(data);
  } catch (_) {
    return null;
  }
  return frame && typeof frame === "object" ? frame : null;
}
