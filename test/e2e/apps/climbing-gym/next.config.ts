import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // pg and nodemailer stay plain Node modules on the server.
  serverExternalPackages: ['pg', 'nodemailer', 'node-cron'],
};

export default nextConfig;
