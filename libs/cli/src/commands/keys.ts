import { ApiKeyStore, parseScopes } from '@llmops/control-plane';
import { parse, required, UsageError } from '../args';
import { explainKafkaError, type CliContext } from '../context';

export const keysHelp = `llmops keys create --tenant T --scopes ingest,query [--name N]
                   prints the new key once; only its hash is stored
llmops keys list [--tenant T]
llmops keys revoke <key-id>
  scopes: ingest, gateway, query, admin`;

export async function keysCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const store = new ApiKeyStore(ctx.kafka(), ctx.logger, ctx.topics.controlApiKeys);
  try {
    switch (sub) {
      case 'create': {
        const { values } = parse('keys create', rest, {
          tenant: { type: 'string' },
          scopes: { type: 'string' },
          name: { type: 'string' },
        });
        const tenant = required('keys create', 'tenant', values.tenant);
        const scopes = parseScopes(required('keys create', 'scopes', values.scopes));
        const { key, record } = await store.create({
          tenant,
          scopes,
          ...(typeof values.name === 'string' ? { name: values.name } : {}),
        });
        ctx.err(
          `created key ${record.key_id} for tenant ${tenant} with scopes ${scopes.join(',')}; it is shown only now:`,
        );
        ctx.out(key);
        return 0;
      }
      case 'list': {
        const { values } = parse('keys list', rest, { tenant: { type: 'string' } });
        await store.start();
        const tenant = typeof values.tenant === 'string' ? values.tenant : undefined;
        for (const k of store.list(tenant)) {
          const state = k.revoked_at_ms
            ? `revoked ${new Date(k.revoked_at_ms).toISOString()}`
            : 'active';
          ctx.out(
            `${k.key_id}  ${k.tenant_id}  ${k.scopes.join(',')}  ${state}  ${k.name ?? ''}`.trimEnd(),
          );
        }
        return 0;
      }
      case 'revoke': {
        const { positionals } = parse('keys revoke', rest, {});
        const keyId = positionals[0];
        if (!keyId) throw new UsageError(`keys revoke: give the key id (see \`llmops keys list\`)`);
        await store.start();
        await store.revoke(keyId);
        ctx.out(`revoked ${keyId}`);
        return 0;
      }
      default:
        throw new UsageError(`keys: expected create, list or revoke\n${keysHelp}`);
    }
  } catch (err) {
    throw err instanceof UsageError ? err : explainKafkaError(ctx, err);
  } finally {
    await store.stop();
  }
}
