import { NextResponse, type NextRequest } from 'next/server';

// Members-only endpoints: no cookie, no need to reach the route at all.
export function middleware(request: NextRequest) {
  if (!request.cookies.has('crag_sid')) {
    return NextResponse.json({ error: 'Sign in first' }, { status: 401 });
  }
  return NextResponse.next();
}

export const config = {
  matcher: ['/api/checkins/:path*', '/api/classes/:path*'],
};
