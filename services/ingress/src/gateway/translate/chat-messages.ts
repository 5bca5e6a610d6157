import { obj, str, type Json } from '../json-read';
import { malformed, untranslatable } from './translate-errors';

/** The image types Claude reads (Anthropic's `Base64ImageSource.media_type`). */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

type Block = Json;
type Role = 'user' | 'assistant';

/**
 * OpenAI Chat `messages` as Anthropic Messages `system` and `messages`:
 * - `system` and `developer` messages become the system prompt, in order (Anthropic has one,
 *   above the conversation, so a system message in mid-conversation moves to the top);
 * - `user` and `assistant` messages keep their role, text and image parts become blocks;
 * - an assistant's `tool_calls` become `tool_use` blocks, their JSON arguments parsed;
 * - `tool` messages become `tool_result` blocks of a user turn. Consecutive turns of the same
 *   role are merged into one, as Anthropic does itself, so that the results of parallel calls
 *   answer their `tool_use` blocks in the one user turn that follows.
 */
export function translateMessages(messages: unknown[]): { system: Block[]; turns: Json[] } {
  const system: Block[] = [];
  const turns: Array<{ role: Role; blocks: Block[] }> = [];
  const push = (role: Role, blocks: Block[]) => {
    const last = turns.at(-1);
    if (last?.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  };
  messages.forEach((raw, i) => {
    const path = `messages[${i}]`;
    const m = obj(raw);
    if (!m) throw malformed(path, 'must be a message object');
    if (m.name != null) throw untranslatable(`${path}.name`, 'Anthropic messages have no names');
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(...textBlocks(m.content, `${path}.content`));
        return;
      case 'user':
        push('user', userBlocks(m.content, `${path}.content`));
        return;
      case 'assistant':
        push('assistant', assistantBlocks(m, path));
        return;
      case 'tool':
        push('user', [toolResult(m, path)]);
        return;
      case 'function':
        throw untranslatable(`${path}.role`, "the deprecated 'function' role is not translated");
      default:
        throw malformed(`${path}.role`, 'must be system, developer, user, assistant or tool');
    }
  });
  return {
    system,
    // A turn of one plain text block reads as its string, as clients write it.
    turns: turns.map(({ role, blocks }) => ({
      role,
      content:
        blocks.length === 1 && blocks[0]!.type === 'text' && Object.keys(blocks[0]!).length === 2
          ? blocks[0]!.text
          : blocks,
    })),
  };
}

/** A string or a list of text parts, as text blocks (system messages, tool results). */
function textBlocks(content: unknown, path: string): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw malformed(path, 'must be a string or a list of parts');
  return content.map((p, j) => {
    const part = obj(p);
    if (part?.type !== 'text' || typeof part.text !== 'string')
      throw untranslatable(`${path}[${j}]`, 'only text parts are translated here');
    return { type: 'text', text: part.text };
  });
}

function userBlocks(content: unknown, path: string): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw malformed(path, 'must be a string or a list of parts');
  return content.map((p, j) => {
    const part = obj(p) ?? {};
    const at = `${path}[${j}]`;
    if (part.type === 'text' && typeof part.text === 'string')
      return { type: 'text', text: part.text };
    if (part.type === 'image_url') return imageBlock(obj(part.image_url), `${at}.image_url`);
    if (part.type === 'input_audio') throw untranslatable(at, 'Claude does not take audio input');
    if (part.type === 'file')
      throw untranslatable(at, 'file parts (OpenAI file ids and file data) are not translated');
    throw malformed(`${at}.type`, 'must be text, image_url, input_audio or file');
  });
}

/**
 * An image part: a base64 `data:` URL as a base64 source, an http(s) URL as a URL source that
 * Anthropic fetches itself. `detail: low` has no Anthropic counterpart (Claude always reads
 * the image at its own resolution); `auto` and `high` are what it does anyway.
 */
function imageBlock(image: Json | undefined, path: string): Block {
  const url = str(image?.url);
  if (!url) throw malformed(`${path}.url`, 'must be a URL');
  if (image?.detail === 'low')
    throw untranslatable(`${path}.detail`, 'Claude has no low-detail image mode');
  const data = DATA_URL.exec(url);
  if (data) {
    const mediaType = data[1]!.toLowerCase();
    if (!IMAGE_TYPES.has(mediaType))
      throw untranslatable(
        `${path}.url`,
        `Claude reads JPEG, PNG, GIF and WebP images, not ${mediaType}`,
      );
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data: data[2] } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw malformed(`${path}.url`, 'must be an http(s) URL or a base64 data: URL');
}

function assistantBlocks(m: Json, path: string): Block[] {
  if (m.audio != null)
    throw untranslatable(`${path}.audio`, 'Claude has no audio answers to refer back to');
  if (m.function_call != null)
    throw untranslatable(`${path}.function_call`, 'the deprecated function_call is not translated');
  const blocks: Block[] = [];
  const text = (t: string) => blocks.push({ type: 'text', text: t });
  const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  if (typeof m.content === 'string') {
    // Anthropic refuses empty text blocks: the empty content of a tool-calling turn is none.
    if (m.content !== '' || calls.length === 0) text(m.content);
  } else if (Array.isArray(m.content)) {
    m.content.forEach((p, j) => {
      const part = obj(p) ?? {};
      if (part.type === 'text' && typeof part.text === 'string') text(part.text);
      else if (part.type === 'refusal' && typeof part.refusal === 'string') text(part.refusal);
      else throw malformed(`${path}.content[${j}]`, 'must be a text or refusal part');
    });
  } else if (m.content != null) throw malformed(`${path}.content`, 'must be a string or parts');
  if (typeof m.refusal === 'string' && m.refusal) text(m.refusal);
  calls.forEach((c, k) => blocks.push(toolUse(c, `${path}.tool_calls[${k}]`)));
  return blocks;
}

function toolUse(raw: unknown, path: string): Block {
  const call = obj(raw) ?? {};
  if (call.type !== 'function')
    throw untranslatable(`${path}.type`, 'only function tool calls are translated');
  const fn = obj(call.function) ?? {};
  const id = str(call.id);
  const name = str(fn.name);
  if (!id) throw malformed(`${path}.id`, 'must be the tool call id');
  if (!name) throw malformed(`${path}.function.name`, 'must be the function name');
  const args = str(fn.arguments) ?? '';
  let input: unknown;
  try {
    // A call without arguments may come as "" rather than "{}".
    input = args.trim() === '' ? {} : JSON.parse(args);
  } catch {
    throw malformed(
      `${path}.function.arguments`,
      'must be JSON text: Anthropic takes a tool call input as a JSON object',
    );
  }
  if (!obj(input))
    throw malformed(`${path}.function.arguments`, 'must be a JSON object (Anthropic tool input)');
  return { type: 'tool_use', id, name, input };
}

function toolResult(m: Json, path: string): Block {
  const id = str(m.tool_call_id);
  if (!id) throw malformed(`${path}.tool_call_id`, 'must name the tool call it answers');
  const blocks = textBlocks(m.content, `${path}.content`);
  return {
    type: 'tool_result',
    tool_use_id: id,
    content: typeof m.content === 'string' ? m.content : blocks,
  };
}
