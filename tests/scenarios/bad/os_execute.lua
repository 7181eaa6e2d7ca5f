scenario{ name = "os.execute", duration = "5s" }
os.execute("touch /tmp/streamlab-sandbox-escaped")
