"""Real services the tests start on 127.0.0.1 (an xAPI LRS), and how to install them."""
