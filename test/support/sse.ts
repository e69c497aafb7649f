export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Reads a server-sent event stream with fetch until the server closes it, returning every event.
 * The caller bounds the wait (withDeadline): a stream that never closes never resolves.
 */
export async function readEventStream(
  url: string,
  key: string | null,
): Promise<{ status: number; contentType: string; events: SseEvent[] }> {
  const response = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const contentType = response.headers.get('content-type') ?? '';
  const events: SseEvent[] = [];
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return { status: response.status, contentType, events };
  }
  let buffer = '';
  const flush = (block: string) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  };
  for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
    buffer += chunk.replaceAll('\r\n', '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      flush(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
  if (buffer.trim()) flush(buffer);
  return { status: response.status, contentType, events };
}
