"""The `zhibiao` command: its CLI, running a build, the UI, the environment every command needs. The
top layer: may import every other."""
