"""Run by Debian's /usr/bin/python3, which has LibreOffice's UNO bridge (python3-uno), in a subprocess of
the tests: open a .docx hidden in a LibreOffice of its own profile, list its tracked changes, accept or
reject them all (or neither) and save its text.

    lo_redlines.py IN.docx accept|reject|keep OUT.txt PROFILE_DIR

prints the tracked changes as JSON: [{"type": "Insert", "author": "…", "date": "YYYY-MM-DD"}, …].
"""
import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 90
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main(source, action, target, profile):
    pipe = f"redlines_{os.getpid()}"
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                               f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
                               f"--accept=pipe,name={pipe};urp;"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        context = connect(pipe)
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                                (prop("Hidden", True),))
        changes = []
        enumeration = document.getRedlines().createEnumeration()
        while enumeration.hasMoreElements():
            redline = enumeration.nextElement()
            when = redline.getPropertyValue("RedlineDateTime")
            changes.append({"type": redline.getPropertyValue("RedlineType"),
                            "author": redline.getPropertyValue("RedlineAuthor"),
                            "date": f"{when.Year:04}-{when.Month:02}-{when.Day:02}"})
        if action != "keep":
            command = ".uno:AcceptAllTrackedChanges" if action == "accept" else ".uno:RejectAllTrackedChanges"
            helper = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
            helper.executeDispatch(document.getCurrentController().getFrame(), command, "", 0, ())
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)),
                            (prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8")))
        document.close(True)
        print(json.dumps(changes))
        with contextlib.suppress(Exception):  # the office may close the bridge as it quits
            desktop.terminate()
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:5])
