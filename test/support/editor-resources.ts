// The scripts of resources/ an editor file loads (`<script src="resources/<package>/<file>">`), in
// its order: what Node-RED serves to the editor beside the file, as the tests find it.
import * as path from "node:path";

const SCRIPT_SRC = /<script [^>]*src="resources\/@iot-token\/node-red-access-token\/([^"]+)"/g;

/** Their paths in the repository ("resources/<file>"). */
export function editorResources(html: string): string[] {
  return [...html.matchAll(SCRIPT_SRC)].map(([, file]) => path.join("resources", file));
}
