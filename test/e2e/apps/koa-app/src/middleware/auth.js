export async function requireUser(ctx, next) {
  if (!ctx.session.user) {
    ctx.status = 401;
    ctx.body = { error: 'please log in' };
    return;
  }
  await next();
}
