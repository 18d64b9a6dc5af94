export default function Home() {
  return (
    <main>
      <h1>Journal</h1>
      <p>The API lives under /api.</p>
    </main>
  );
}
